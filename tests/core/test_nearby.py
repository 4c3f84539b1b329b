"""Clinics near a shared point: distances, nearest first, those without coordinates last."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cabinet.nearby import Point, distance_km, nearest_first
from core.errors import InputError

RED_SQUARE = Point(55.7539, 37.6208)


def test_known_distances() -> None:
    assert distance_km(RED_SQUARE, RED_SQUARE) == 0
    assert distance_km(RED_SQUARE, Point(59.9343, 30.3351)) == pytest.approx(634, abs=3)  # Saint Petersburg
    assert distance_km(Point(0, 0), Point(0, 180)) == pytest.approx(20015, abs=5)  # half the equator


def test_nearest_first_then_without_coordinates_by_name() -> None:
    places = {
        "Бауманская": Point(55.7722, 37.6790),
        "Тверская": Point(55.7600, 37.6100),
        "Ленинский": Point(55.7000, 37.5800),
        "Уфа": Point(54.7700, 56.0200),
        "Пульт": None,
        "Архив": None,
    }
    found = nearest_first(places, places.get, RED_SQUARE, order=str)
    assert [near.item for near in found] == ["Тверская", "Бауманская", "Ленинский", "Уфа", "Архив", "Пульт"]
    assert found[0].km == pytest.approx(0.96, abs=0.05) and found[-1].km is None


@pytest.mark.parametrize("latitude, longitude", [(91, 0), (-90.5, 0), (0, 180.1), (0, -181)])
def test_no_place_on_earth_is_refused(latitude: float, longitude: float) -> None:
    with pytest.raises(InputError) as error:
        Point.of(latitude, longitude)
    assert error.value.code == "location.invalid"


points = st.builds(Point, st.floats(-90, 90), st.floats(-180, 180))


@given(points, points)
def test_distance_is_symmetric_and_bounded(a: Point, b: Point) -> None:
    d = distance_km(a, b)
    assert 0 <= d <= 20016 and d == pytest.approx(distance_km(b, a), abs=1e-6)


@given(st.lists(st.one_of(st.none(), points), max_size=20), points)
def test_the_order_is_by_distance_and_keeps_everyone(where: list[Point | None], origin: Point) -> None:
    found = nearest_first(range(len(where)), lambda i: where[i], origin, order=lambda i: i)
    assert sorted(near.item for near in found) == list(range(len(where)))
    kms = [near.km for near in found]
    placed = [km for km in kms if km is not None]
    assert placed == sorted(placed) and kms == placed + [None] * (len(kms) - len(placed))
