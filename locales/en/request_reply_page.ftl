# A person's reply to support's message from the page of a dispute or of a request
# (bot/web/webapp/conversations.py, templates/reply_form.html): plain text, the templates escape it.
webapp-reply-label = Your reply to support
webapp-reply-send = Send the reply
request-reply-moved-on = The reply was not sent: the request changed while you were typing, and it is shown above as it is now. If your reply is not there and the form is still here, send it again.
