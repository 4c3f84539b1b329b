# Requests to the insurer.

requests-title = <b>✉️ Requests</b>
requests-none = You have no requests yet.
requests-new-hint = Start a new request with a button below. The answer will come here.
requests-entry = No. { $number } · { $kind } · { $status } · { $date }
requests-back-button = ‹ Requests

request-new-callback = 📞 Request a call back
request-new-curator = 👩‍⚕️ Ask the curator doctor
request-new-add-clinic = 🏥 Add a clinic
request-new-personal-data = ✏️ Change personal data

request-kind-callback = Call back
request-kind-curator = Question to the curator doctor
request-kind-add-clinic = Add a clinic
request-kind-personal-data = Change of personal data
request-kind-support = Question to support

request-status-new = new
request-status-answered = answered
request-status-closed = closed

request-title = <b>Request No. { $number }</b> — { $kind }
request-status = Status: { $status }
request-created = Created: { $at }
request-preferred-time = Preferred time for the call: { $time }
request-reply = <b>Answer</b> ({ $at }):
request-close-button = Close the request

request-prompt-callback = When would you like us to call? Write the day and time. We will call the number you registered with.
request-prompt-curator = Write your question to the curator doctor. If you need urgent help, call the insurer's medical desk.
request-prompt-add-clinic = Which clinic should be added to the program? Write its name, city and address.
request-prompt-personal-data = What has changed in your data? Write what to correct, and how.

request-created-text = ✅ Request No. { $number } ({ $kind }) is received. The answer will come here, in the bot.
