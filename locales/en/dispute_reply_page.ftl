# A person's reply to support's message about a dispute refused on the dispute's page
# (bot/web/webapp/conversations.py): plain text, the templates escape it.
dispute-reply-moved-on = The reply was not sent: the conversation about the dispute changed while you were typing, and it is shown above as it is now. If your reply is not there and the form is still here, send it again.
