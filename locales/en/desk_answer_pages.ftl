# An item's answer, its closing and a dispute's verdict from the item's page (bot/web/webapp/desk_answers.py):
# plain text, the templates escape it.
webapp-desk-answer-label = Answer to the user (sent as from support; the item closes)
webapp-desk-answer-send = Send the answer
webapp-desk-close = Close without an answer
webapp-desk-verdict-label = Comment on the dispute's verdict
webapp-desk-verdict-accept = Accept the dispute
webapp-desk-verdict-reject = Reject the dispute

# The answer's preview in a staff member's chat in the Mini App mode: without the text itself.
pages-desk-preview-answer = The answer to No. { $number } is ready: { $length } characters. Send it to the user?
pages-desk-preview-accept = The comment accepting dispute No. { $number } is ready: { $length } characters. Accept the dispute?
pages-desk-preview-reject = The comment rejecting dispute No. { $number } is ready: { $length } characters. Reject the dispute?

# Support's attachments on a request's or a dispute's page (bot/web/webapp/conversations.py).
webapp-conversation-file-photo = Photo
webapp-conversation-file-document = Document
webapp-conversation-file-link = Download: { $kind }
