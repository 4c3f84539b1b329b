"""Rules of the insured person's cabinet (DESIGN.md §1–2): policy and franchise status, children's
policies, clinic access and search, paging, requests, notification settings. Pure: no I/O, no aiogram."""
