"""Rules of the insured person's cabinet (docs/domain.md): policy and franchise status, children's
policies, clinic access and search, paging, requests, notification settings. Pure: no I/O, no aiogram."""
