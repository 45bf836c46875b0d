# Sambandh's staff UI, in English: the reference for every other language.
# Keys: lower-case words joined by '-'; a key's prefix names the screen or the kind of
# value ("tier-gold", "status-open").

app-name = Sambandh
skip-to-content = Skip to the content
nav-label = Main menu
nav-today = Today
nav-contacts = Contacts
nav-companies = Companies
nav-deals = Deals
nav-tasks = Tasks
nav-tickets = Tickets
nav-greetings = Greetings
nav-admin = Admin
language = Language
language-apply = Apply
sign-in = Sign in
sign-in-title = Sign in to Sambandh
sign-out = Sign out
sign-in-wrong = The e-mail or the password is wrong.
sign-in-expired = The form expired. Please sign in again.
sign-in-throttled = Too many failed attempts. Try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
back-home = Back to the start page
save = Save
cancel = Cancel
edit = Edit
show = Show
search = Search
sort = Order
pages = Pages
page-first = First page
page-next = Next page
one-per-line = One per line.
form-has-errors = Some fields need attention; each says why below it.
nobody = Nobody
overdue = Overdue
due = due
updated-at = Last saved

error-not-found-title = Not found
error-not-found = There is nothing here, or it is not yours to see.
error-forbidden-title = Not allowed
error-forbidden = Your role does not allow this.
error-bad-request-title = Cannot do that
error-unexpected-title = Something went wrong
error-unexpected = Something went wrong on our side. It has been logged; please try again.
error-expired-title = The form expired
error-expired = This form was opened in another session. Reload the page and try again.

reason-required = is required
reason-taken = is already used by another record
reason-email = is not an e-mail address such as name@example.com
reason-phone = is not a phone number, such as 98400 12345 or +91 98400 12345
reason-pin = must be a 6-digit PIN code
reason-date = must be a date such as 1985-08-15, or --08-15 without the year
reason-script = is not written in this script

role-owner = Owner
role-admin = Administrator
role-manager = Manager
role-agent = Agent
role-viewer = Viewer

today-greeting = Good day, { $name }
today-tasks = Your tasks
today-tickets = Tickets waiting on you or your branch
today-greetings-waiting = { $count ->
    [0] No greetings wait for review today.
    [one] One greeting waits for review today.
   *[other] { $count } greetings wait for review today.
}

contacts-title = Contacts
contacts-none = No contacts match.
contact-new = New contact
contact-edit = Change contact
search-contacts-hint = A name in any script, a phone or an e-mail
sort-name = Name, A to Z
sort--name = Name, Z to A
sort--updated = Recently changed
sort--created = Recently added

section-name = Name
section-reach = How to reach them
section-relationship = Relationship
section-profile = Profile
section-timeline = Timeline
section-due-next = Due next
section-consent = Consent
section-needs = Needs and interests
section-orders = Orders

field-name = Name
field-email = E-mail
field-password = Password
field-honorific = Honorific
field-given-name = Given name
field-family-name = Family name
field-father-name = Father's name or initial
field-father-name-hint = As in "R." of "R. Karthik".
field-preferred-name = Called by
field-name-latin = Name in Latin letters
field-name-latin-hint = How the name is spelt in English.
field-name-in = Name in { $script }
field-phones = Phones
field-emails = E-mails
field-language = Language
field-language-hint = The language they are written to in, such as ta, hi, gu or en.
field-time-zone = Time zone
field-address = Address
field-city = City
field-pin-code = PIN code
field-region = State
field-region-hint = A code such as IN-TN, or the state's name.
field-birthday = Birthday
field-birthday-hint = 1985-08-15, or --08-15 without the year.
field-gender = Gender
field-branch = Branch
field-owner = Looked after by
field-value-tier = Value
field-tags = Tags
field-tags-hint = Separated by commas.
field-first-deal-on = First deal
field-kind = Kind
field-direction = Who reached out
field-outcome = Outcome
field-summary = What was said

script-Taml = Tamil script
script-Deva = Devanagari
script-Gujr = Gujarati script
script-Latn = Latin letters
script-Telu = Telugu script
script-Knda = Kannada script
script-Mlym = Malayalam script
script-Beng = Bengali script
script-Guru = Gurmukhi

gender-female = Female
gender-male = Male
gender-other = Other
tier-platinum = Platinum
tier-gold = Gold
tier-silver = Silver
tier-bronze = Bronze

conflict-title = Someone else changed this contact meanwhile
conflict-explain = Nothing was overwritten. What is saved now is below; your changes are still in the form. Save again to replace the saved version with yours, or discard your changes.
conflict-discard = Discard my changes and show the saved version
conflict-save-mine = Save my version

log-title = Log a call, a visit or a note
log-save = Log it
call-script = Call script
kind-call = Call
kind-email = E-mail
kind-meeting = Meeting
kind-visit = Visit
kind-note = Note
kind-sms = SMS
kind-whatsapp = WhatsApp
kind-web_visit = Web visit
kind-purchase = Purchase
direction-in = They reached out
direction-out = We reached out
outcome-answered = Answered
outcome-no_answer = No answer
outcome-busy = Busy
outcome-voicemail = Voicemail
outcome-call_back = Call back
outcome-wrong_number = Wrong number
timeline-none = Nothing yet.
timeline-deal = Deal
timeline-order = Order
nothing-due = Nothing is due.
consent-none = No consent recorded.
consent-given = Given
consent-withdrawn = Withdrawn
purpose-service = Service
purpose-marketing = Marketing
purpose-greetings = Greetings
channel-email = E-mail
channel-sms = SMS
channel-whatsapp = WhatsApp
channel-phone = Phone
needs-none = None noted.
deals-none = No deals.
orders-none = No orders.
occasion-birthday = Birthday
occasion-first_deal = First-deal anniversary
occasion-company_anniversary = Company anniversary
occasion-festival = Festival
greeting-status-review = waiting for review
greeting-status-approved = approved
greeting-status-skipped = skipped
greeting-status-sent = sent
greeting-status-failed = failed
greeting-status-withheld = withheld

companies-title = Companies
companies-none = No companies yet.
company-name = Name
company-gstin = GSTIN
company-industry = Industry
company-founded-on = Founded
company-people = People
company-people-none = No one is linked to this company.

deals-title = Deals
deal-new = New deal
deal-title = Title
deal-amount = Amount (₹)
deal-stage = Stage
deal-expected-close = Expected to close
deal-contact = Contact
deal-contact-field = Contact
deal-contact-hint = Their phone or e-mail.
deal-contact-unknown = no contact you can see has this phone or e-mail
deal-contact-several = several contacts have this; open the contact and start the deal from their page
deal-move = Move
deal-move-to = Move to stage
deal-moved-meanwhile = Someone else moved that deal meanwhile; the board shows where it is now. Move it again if you still want to.

tasks-title = Tasks
tasks-which = Whose tasks
tasks-mine = Mine
tasks-all = All tasks
tasks-none = No open tasks.
task-new = New task
task-title = Task
task-due = Due
task-assignee = For
task-notes = Notes
task-done = Done
task-mark-done = Mark "{ $title }" done

tickets-title = Tickets
tickets-which = Which tickets
tickets-mine = Mine
tickets-unassigned = Unassigned
tickets-all = All open
tickets-none = No tickets waiting.
ticket-due = Due
ticket-subject = Subject
ticket-status = Status
ticket-priority = Priority
ticket-assignee = Assigned to
ticket-reply = Reply to the customer
ticket-reply-text = Your reply
ticket-then = Then
ticket-send = Send the reply
ticket-note = Note for staff
ticket-note-text = The note (the customer does not see it)
ticket-add-note = Add the note
ticket-deadlines = Deadlines
ticket-first-response = First response
ticket-next-response = Next response
ticket-resolution = Resolution
ticket-csat = Customer's score
ticket-manage = Status and owner
ticket-conflict = Someone else changed this ticket meanwhile; it is shown as it is now. Make your change again if it is still needed.
timer-late = Late
timer-soon = Due soon
timer-ok = On time
then-pending = Wait for the customer
then-resolved = Mark resolved
status-new = New
status-open = Open
status-pending = Waiting on the customer
status-resolved = Resolved
status-closed = Closed
priority-low = Low
priority-normal = Normal
priority-high = High
priority-urgent = Urgent
source-email = E-mail
source-web = Web form
source-phone = Phone
source-api = API
source-whatsapp = WhatsApp
source-sms = SMS
entry-inbound = Customer
entry-reply = Reply
entry-acknowledgement = Acknowledgement
entry-note = Note

greetings-title = Greetings to review
greetings-day = Day
greetings-waiting = { $count ->
    [0] Nothing waits for review for { $date }.
    [one] One greeting waits for review for { $date }.
   *[other] { $count } greetings wait for review for { $date }.
}
greetings-none = Nothing to review.
greetings-review = Review greetings
greetings-approve-day = Approve all of the day
greetings-skip-day = Skip all of the day
greeting-subject = Subject
greeting-body = Message
greeting-send-at = Goes out
greeting-approve = Approve
greeting-skip = Skip

admin-title = Administration
admin-branches = Branches
admin-staff = Staff
admin-call-scripts = Call scripts
admin-add-branch = Add the branch
admin-add-user = Add the member of staff
admin-save-script = Save the script
admin-no-scripts = No call scripts yet.
branch-name = Branch
user-role = Role
user-languages = Languages spoken
user-password-hint = At least 12 characters. Leave empty to set it later from the command line.
script-branch = Only for the branch
script-greeting = Greeting
script-text = Script
