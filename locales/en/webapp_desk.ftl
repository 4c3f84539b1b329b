# The desk's pages (bot/web/webapp/desk.py): plain text, the templates escape it.
webapp-desk-person-title = Record
webapp-desk-queue-title = Queue
webapp-desk-queue-empty = The queue is empty.
webapp-desk-item-title = No. { $number }
webapp-desk-back = ‹ Queue
webapp-desk-take = Take
webapp-desk-open-record = Open the record (each view is audited)

# The desk in the Mini App mode: the chat and the staff group carry numbers and an Open button only.
pages-desk-find-title = <b>Found: { $count }</b> — record numbers; a record opens as a page (each view is audited).
pages-desk-record = <b>Record No. { $id }</b>
    The person's data opens as a page.
pages-desk-topic-reply = A new message from the user: { $item }. It is on the item's page.
pages-desk-import-issues = Issues: { $count }. Not shown in the chat (they quote the file's values): the report by line is <code>python -m bot import … --report FILE</code> on the server.
pages-desk-export = <b>Register { $kind } since { $since }</b>
    The file holds personal data: it is downloaded from its page.
