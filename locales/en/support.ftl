# A question to support: for anyone, registered or not.

support-button = ✉️ Write to support
support-prompt =
    <b>A question to support</b>
    Write your question in one message: no registration is needed. The answer will come here, in the bot.
    Do not send passport details or health information: support will ask if they need them.
support-received = ✅ Your question No. { $number } is received. The answer will come here, in the bot.
support-too-many = You can ask support at most { $limit } { $limit ->
        [one] question
       *[other] questions
    } a day, and today's are used up. Wait for the answer, or write tomorrow.
support-cancelled = The question is not sent.
support-text-expected = Please write your question as text.
support-reply-prompt = Write your reply to support on No. { $number } in one message.
support-replied = ✅ Your reply on No. { $number } is passed to support. The answer will come here, to the bot.
support-reply-not-taken = You have replied to this answer already, or the request is closed.
support-send-typed = ✉️ Send this to support
support-typed-gone = This message is already sent or has expired. Please type your question again.
