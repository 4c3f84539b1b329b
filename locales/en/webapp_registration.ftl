# Registration's "check what you typed" page (bot/web/webapp/registration.py): plain text, the template escapes it.
webapp-registration-title = What you typed
webapp-registration-intro = A code comes only when these details are exactly as on your employer's list. Check each answer.
webapp-registration-next = To change an answer, go back to the chat and press its button under the message; then send the details again. If everything is right, write to support: your company's HR may need to update the list.
webapp-registration-nothing = Nothing to check now. This page shows your answers while the chat offers "No code? Check what you typed".
webapp-registration-none = none
webapp-registration-policy = Policy number
webapp-registration-last_name = Surname
webapp-registration-first_name = First name
webapp-registration-patronymic = Patronymic
webapp-registration-birth_date = Date of birth
webapp-registration-phone = Phone
webapp-registration-email = E-mail
