# The Mini App's pages: the answer to a request that failed (bot/web/webapp/errors.py).
webapp-error-title = Page unavailable
webapp-error-not-found = There is no such page, or it is not available to you. Open it again with the button in the chat.
webapp-error-forbidden = This page is not available to you.
webapp-error-too-large = Too much text in the form. Shorten it and send it again.
webapp-error-other = The page could not be opened. Open it again with the button in the chat.
webapp-refused-title = Could not do that
