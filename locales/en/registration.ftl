# Registration: consents, ways in, questions, codes, outcomes.

## Consents (editable defaults; when you change a text, change its version too)

reg-consent-personal_data-version = 2026-11-26
reg-consent-personal_data =
    <b>Consent to the processing of personal data</b> (1 of 3)

    I consent to the insurance company processing my personal data (full name, date of birth, policy number, phone, e-mail, the medical services I received) to register me in the personal cabinet, to serve me under the voluntary medical insurance contract and to bill the deductible (co-payment) program, under Federal Law 152-FZ. The consent stands until withdrawn; withdraw it with /delete_me or by writing to the insurance company.
reg-consent-rules-version = 2026-11-01
reg-consent-rules =
    <b>Rules of the service</b> (2 of 3)

    The personal cabinet is for the insured person only. Do not share access to it or one-time codes with anyone. Policy, clinic and invoice details come from the data your employer provided.
reg-consent-notifications-version = 2026-11-01
reg-consent-notifications =
    <b>Notifications</b> (3 of 3, optional)

    Send me notifications about invoices, payment deadlines and policy changes? You can change this in the settings.
reg-consent-agree = ✅ I agree
reg-consent-decline = I do not agree
reg-consent-yes = Yes, send them
reg-consent-no = No
reg-stopped-consent_required = You cannot register without this consent. If you change your mind, start again.

## Way in

reg-way-choose = How would you like to register?
reg-way-policy = 🔢 I have a policy number
reg-way-personal = 👤 I have no policy number
reg-invite-invalid = This invite link is invalid or has expired. You can register without it.

## Questions

reg-ask-policy =
    Enter your medical insurance policy number (or your staff number).
    For example: <code>456/78</code> or <code>AB098765432/10</code>
reg-ask-last_name =
    Enter your surname as on the policy: in Russian, or in Latin letters as in your Russian international passport.
    For example: <code>Соколова</code> or <code>Sokolova</code>
reg-ask-first_name = Enter your first name as on the policy (in Russian, or as in your international passport). For example: <code>Дарья</code> or <code>Darya</code>
reg-ask-patronymic = Enter your patronymic as on the policy, if it has one. For example: <code>Андреевна</code>, <code>Andreevna</code> or <code>Tofik ogly</code>
reg-skip-patronymic = I have no patronymic
reg-ask-birth_date = Enter your date of birth, for example: <code>9 Apr 1984</code> or <code>09.04.1984</code> (day first)
reg-ask-phone =
    Give the mobile phone number your employer has on file.
    Press "Share my phone" or type it, for example: <code>+7 916 123-45-67</code>
reg-ask-email =
    Enter the e-mail address your employer has on file.
    For example: <code>sokolova@example.ru</code>
reg-share-phone = 📱 Share my phone
reg-phone-received = Phone { $phone } received.

reg-invalid =
    { $problem }
    Example: { $example }
reg-example-policy = <code>456/78</code>
reg-example-last_name = <code>Rimsky-Korsakov</code>
reg-example-first_name = <code>Nikolai</code>
reg-example-patronymic = <code>Andreevich</code>
reg-example-birth_date = <code>9 Apr 1984</code> or <code>09.04.1984</code> (day first)
reg-example-phone = <code>+7 916 123-45-67</code>
reg-example-email = <code>sokolova@example.ru</code>
reg-text-expected = Please answer the question with text or use the buttons.
reg-buttons-expected = Please answer with the buttons under the message above.
reg-back = All right, one step back.
reg-contact-not-expected = No phone is needed now: please answer the question above.
reg-contact-not-own = This is someone else's contact. Share your own number with the "Share my phone" button or type it.

## Input errors

error-phone-empty = The phone number is missing.
error-phone-invalid = This does not look like a phone number.
error-phone-foreign = A Russian mobile number (+7 9…) is needed; this one is foreign.
error-phone-not_mobile = This is not a mobile number: landlines and 8-800 numbers do not work.
error-name-empty = The field is empty.
error-name-invalid = Only letters, spaces, hyphens and apostrophes are allowed.
error-name-too_long = Too long (100 characters at most).
error-policy-empty = The number is missing.
error-policy-invalid = A policy number has only letters, digits and the signs / - .
error-policy-too_long = The number is too long (40 characters at most).
error-date-empty = The date is missing.
error-date-format = The date could not be read.
error-date-short_year = The year is needed in full, with four digits.
error-date-impossible = There is no such date.
error-date-future = A date of birth cannot be in the future.
error-date-too_old = The date of birth is too early.
error-email-empty = The address is missing.
error-email-invalid = This does not look like an e-mail address.

## Codes

reg-code-sent-sms =
    If these details are on your employer's list, we have sent a text message with a code to { $to }. Enter the 6 digits from it.
    No message? Check the details (Back) or prove who you are by e-mail.
reg-code-sent-email =
    If these details are on your employer's list, we have sent an e-mail with a code to { $to }. Enter the 6 digits from it.
    No e-mail? Check the details (Back) or ask your company's HR to update the list of insured people.
reg-code-next-sms = The address is confirmed. Now we have sent a text message with a code to { $to }: enter the 6 digits from it.
reg-code-next-email = We have sent an e-mail with a code to { $to }: enter the 6 digits from it.
reg-code-waiting-sms = Enter the 6 digits from the text message sent to { $to }.
reg-code-waiting-email = Enter the 6 digits from the e-mail sent to { $to }.
reg-prove-by-email = ✉️ Prove by e-mail instead
reg-destination-masked-sms = { $to }
reg-destination-masked-email = { $to }
reg-code-resend = 🔁 Send the code again
reg-code-format = A code is 6 digits, for example: <code>123456</code>
reg-code-wrong = Wrong code. Tries left: { $tries }.
reg-code-burned = Wrong code, and no tries are left: this code no longer works. Press "Send the code again".
reg-code-expired = The code has expired. Press "Send the code again".
reg-code-missing = No code is waiting, or it was already used. Press "Send the code again".
reg-code-refused-cooldown-sms = You can ask for a new code in { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }.
reg-code-refused-cooldown-email = You can ask for a new code in { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }.
reg-code-refused-destination_daily_cap-sms = Too many codes were sent to this number today. Try tomorrow or contact support.
reg-code-refused-destination_daily_cap-email = Too many codes were sent to this address today. Try tomorrow or contact support.
reg-code-refused-user_daily_cap-sms = You asked for too many codes today. Try tomorrow or contact support.
reg-code-refused-user_daily_cap-email = You asked for too many codes today. Try tomorrow or contact support.
reg-code-refused-delivery_failed-sms = The text message service is not answering right now, so the code was not sent. Press "Send the code again" in a minute or two.
reg-code-refused-delivery_failed-email = The mail service is not answering right now, so the code was not sent. Press "Send the code again" in a minute or two.

otp-sms = Your DMS cabinet code: { $code }. Do not share it with anyone.
otp-email-subject = Confirmation code for the DMS cabinet
otp-email-body =
    Hello!

    Your confirmation code: { $code }
    It is valid for 5 minutes. If you did not ask for a code, ignore this e-mail.

## No code? Check what you typed (the same for everyone: only the user's own answers)

reg-review-open = 🤔 No code? Check what you typed
reg-review =
    <b>What you typed</b>
    A code comes only when these details are exactly as on your employer's list. Check each answer, change what is wrong and send the details again. If everything is right, write to support: your company's HR may need to update the list.
reg-review-policy = Policy number: { $value }
reg-review-last_name = Surname: { $value }
reg-review-first_name = First name: { $value }
reg-review-patronymic = Patronymic: { $value }
reg-review-birth_date = Date of birth: { $value }
reg-review-phone = Phone: { $value }
reg-review-email = E-mail: { $value }
reg-review-none = none
reg-change-policy = ✏️ Change the policy number
reg-change-last_name = ✏️ Change the surname
reg-change-first_name = ✏️ Change the first name
reg-change-patronymic = ✏️ Change the patronymic
reg-change-birth_date = ✏️ Change the date of birth
reg-change-phone = ✏️ Change the phone
reg-change-email = ✏️ Change the e-mail
reg-review-submit = 📨 Send the details again
reg-review-wait = ⏳ Back to the code

## The Mini App mode: nothing typed is shown back; the list of answers opens as a page

reg-phone-received-hidden = Phone received.
reg-destination-sms = the number you gave
reg-destination-email = the address you gave
reg-review-page =
    <b>What you typed</b>
    A code comes only when these details are exactly as on your employer's list. Open your answers and check each; change what is wrong with the buttons below and send the details again. If everything is right, write to support: your company's HR may need to update the list.
reg-review-page-open = 🔍 Open what I typed

## Outcomes

reg-done = ✅ Done! Your policy is now linked to the cabinet.
reg-cancelled = Registration stopped.
reg-start-again = To register, press the button below or send /start.
reg-resume = You have started registering. Continue where you were, or start over?
reg-continue = ▶️ Continue
reg-start-over = 🔄 Start over
reg-invite-wrong-policy = This policy number is not the one of the invitation. Check it and enter it again.
reg-try-again = Start again
reg-too-many-attempts = Too many registration attempts today. Try tomorrow or write to support.
reg-refused-generic =
    We could not find an insured person with these details.
    Check them and try again, or ask your company's HR to update the list of insured people.
reg-refused-under_18 = Only adults can register in the cabinet. A parent can add a child's policy in their own cabinet.
reg-refused-policy_not_active = Your policy is not active now. Ask your company's HR whether the contract was renewed.
reg-refused-already_linked = This policy is already linked to another Telegram account. If that was not you, write to support and we will help.
reg-refused-phone_taken = This phone number is already used by another account. Write to support and we will sort it out.
reg-refused-email_taken = This e-mail address is already used by another account. Write to support and we will sort it out.
