# Saved cards and automatic charges (bot/views/cards.py): the cards screen, a removal, a binding.

card-type-unknown = Card
card-name = { $card_type } •••• { $last4 }
card-valid = valid until { $until }
card-expired = expired ({ $until })

cards-button = 💳 Card for automatic charges
cards-title = <b>💳 Cards for automatic charges</b>
cards-not-offered =
    Automatic charges from a saved card are not offered now: a card cannot be bound.
    Invoices are paid by hand — with the Pay button in /invoices or the /pay command.
cards-not-offered-short = Automatic charges from a saved card are not offered: pay invoices with the Pay button in /invoices.
cards-about = Deductible invoices pay themselves: the amount of each is charged to the card bound last — once per invoice, however many cards are bound. If a charge does not go through, I will tell you, and the invoice can be paid by hand.
cards-none = No cards yet. Add a card, and new invoices will be paid by themselves.
cards-entry = 💳 { $card }, { $validity }
cards-entry-marked = 💳 { $card }, { $validity } — { $mark }
cards-mark-charged = charged automatically
cards-mark-expired = not charged
cards-autopay-on = Automatic charges: <b>on</b>
cards-autopay-off = Automatic charges: <b>off</b> — invoices are paid by hand in /invoices.
cards-autopay-no-card = ⚠️ No valid card: there is nothing to charge. Add a card.
cards-binding-under-way = ⏳ A card check was started and not finished: press "Add a card" to open its page again.
cards-autopay-on-button = ▶️ Turn automatic charges on
cards-autopay-off-button = ⏸ Turn automatic charges off
cards-add-button = ➕ Add a card
cards-remove-button = 🗑 Remove •••• { $last4 }
cards-policy-button = ‹ Policy
cards-back-button = ‹ Cards

cards-remove-ask = Remove the card { $card }?
cards-remove-forgotten = The bot will forget it and never charge it again.
cards-remove-next = Automatic charges will go to { $card }.
cards-remove-last = There is no other card: nothing will be charged automatically, and invoices will have to be paid by hand in /invoices.
cards-remove-yes = ✅ Yes, remove
cards-remove-no = No
cards-removed = ✅ The card is removed: it will not be charged any more.

cards-bind-title = <b>➕ A new card</b>
cards-bind-existing = A card check is already under way — continue it on the same page.
cards-bind-text = Press the button and enter the card's details on YooKassa's page. To check the card, YooKassa holds { $amount } on it and releases it at once — nothing is charged. Then I will confirm here that the card is bound.
cards-bind-page-button = 💳 Enter the card's details

cards-refused-not-offered = Automatic charges are not offered: pay invoices with the Pay button in /invoices.
cards-refused-not-registered = Only a registered insured person can bind a card.
cards-refused-too-many-cards = At most { $count } cards can be bound: remove one you do not need first.
cards-refused-unreachable = The payment service did not answer. Please try again in a minute.
cards-refused-provider-refused = The payment service refused to check the card; nothing was charged. Please try again later or write to support in /requests.
