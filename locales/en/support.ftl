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
support-send-typed = ✉️ Send this to support
support-typed-gone = This message is already sent or has expired. Please type your question again.
