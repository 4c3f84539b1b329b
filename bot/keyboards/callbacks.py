"""Callback data: ids and short codes only (64 bytes at most), never names."""

from aiogram.filters.callback_data import CallbackData


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class MenuCb(CallbackData, prefix="menu"):
    section: str
