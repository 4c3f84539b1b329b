"""Clinics near a point the user shared: distances on the sphere, nearest first, clinics without
coordinates last. The point is used for one answer and kept nowhere (no database, no FSM, no log)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from math import asin, cos, radians, sin, sqrt
from typing import Generic, TypeVar

from core.errors import InputError

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
NEAREST_SHOWN = 8  # clinics on the answer: one screen of buttons

T = TypeVar("T")


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    @classmethod
    def of(cls, latitude: float, longitude: float) -> Point:
        """A shared location; InputError `location.invalid` for one no place on Earth has."""
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise InputError("location", "location.invalid")
        return cls(latitude, longitude)


@dataclass(frozen=True)
class Near(Generic[T]):
    item: T
    km: float | None  # None: the clinic has no coordinates


def distance_km(a: Point, b: Point) -> float:
    """The great-circle distance (haversine), in kilometres."""
    dlat, dlon = radians(b.latitude - a.latitude), radians(b.longitude - a.longitude)
    h = sin(dlat / 2) ** 2 + cos(radians(a.latitude)) * cos(radians(b.latitude)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def nearest_first(
    items: Iterable[T], where: Callable[[T], Point | None], origin: Point, order: Callable[[T], object]
) -> list[Near[T]]:
    """Every item with its distance from `origin`, nearest first (ties by `order`); the items `where`
    finds no point for come last, by `order`."""
    placed, unplaced = [], []
    for item in items:
        point = where(item)
        if point is None:
            unplaced.append(Near(item, None))
        else:
            placed.append(Near(item, distance_km(origin, point)))
    placed.sort(key=lambda near: (near.km, order(near.item)))
    unplaced.sort(key=lambda near: order(near.item))
    return placed + unplaced
