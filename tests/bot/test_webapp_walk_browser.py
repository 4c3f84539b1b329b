"""The Mini App's script in headless Chromium (as tests/bot/test_webapp_browser.py drives it): a Telegram theme
whose hint, link and button colours read below 4.5:1 is made legible."""

from __future__ import annotations

import json
from urllib.parse import quote

from tests.bot.cabinet_fixtures import IVANOV, POLICIES, register
from tests.bot.test_webapp_browser import PHONE, chromium, settled  # noqa: F401 (a fixture)
from tests.bot.webapp_fixtures import base, init_data, world_https  # noqa: F401 (a fixture)

# A light theme as a Telegram client may pass it: grey hints at 2.4:1 on white, white on a light-blue button.
PALE = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#a8a8a8",
    "link_color": "#3390ec",
    "button_color": "#50a8eb",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f0f0f0",
}

CONTRAST = """([fg, bg]) => {
  const parse = (s) => s.match(/\\d+/g).slice(0, 3).map(Number);
  const lum = (c) => { const l = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
  const a = lum(parse(fg)), b = lum(parse(bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


async def open_page(chromium, world, path: str, theme: dict[str, str]):
    context = await chromium.new_context(viewport=PHONE, locale="ru", ignore_https_errors=True)
    page = await context.new_page()
    fragment = f"tgWebAppData={quote(init_data(world, IVANOV), safe='')}"
    fragment += f"&tgWebAppThemeParams={quote(json.dumps(theme), safe='')}"
    await page.goto(f"{base(world)}{path}#{fragment}")
    await settled(page)
    return context, page


async def colours(page, selector: str, background_of: str) -> float:
    fg = await page.eval_on_selector(selector, "e => getComputedStyle(e).color")
    bg = await page.eval_on_selector(background_of, "e => getComputedStyle(e).backgroundColor")
    return await page.evaluate(CONTRAST, [fg, bg])


async def test_a_pale_telegram_theme_is_made_legible(chromium, world_https) -> None:
    await register(world_https.harness.engine, IVANOV, POLICIES[IVANOV])
    context, page = await open_page(chromium, world_https, "/invoices", PALE)
    hint_on_card = await colours(page, ".card dt", ".card")
    link_on_page = await colours(page, "main a:not(.button)", "body")
    await page.click("text=2026/10/3")
    label_on_button = await colours(page, "form button", "form button")
    assert min(hint_on_card, link_on_page, label_on_button) >= 4.5, (hint_on_card, link_on_page, label_on_button)
    # Still the theme: a blue button, not a black one.
    button = await page.eval_on_selector("form button", "e => getComputedStyle(e).backgroundColor")
    red, green, blue = (int(part) for part in button[4:-1].split(","))
    assert blue > red + 60 and blue > green
    await context.close()
