# Somu's words, in English. Another language is a sibling folder with the same message ids.

## Frame
skip-to-content = Skip to the content
nav-label = Main
nav-people = People
nav-teams = Teams
nav-import = Import people
nav-audit = Audit log
nav-tokens = API tokens
nav-operator = Organisations
nav-switch = My organisations
nav-sign-out = Sign out
footer = Somu, the social media university: educate, practise, certify, observe, measure.
required = (required)
save = Save
any = Any
actions = Actions
filter-button = Filter
pagination = Pages
previous = Previous
next = Next
page = Page
line = line

## Errors
error-status = Status
error-not-found = Not found
error-forbidden = You are not allowed to do this
error-unauthorized = Please sign in
error-csrf = This form has expired. Go back, reload the page and try again.
error-invalid = Some of what you sent needs correcting
error-bad-request = The request could not be read
error-conflict = That clashes with something that already exists
error-too-large = The upload is too large
error-too-many = Too many attempts. Wait a quarter of an hour and try again.
error-internal = Something went wrong on our side
errors-intro = Please correct the following:
error-nothing-changed = Nothing was changed.
error-home = Go to my start page

## Notices (shown after an action)
notice-saved = Saved.
notice-signed-out = You are signed out.
notice-password-set = Your password is set. Sign in with it now.
notice-person-created = The person was added.
notice-invited = An invitation was queued in the outbox.
notice-erased = The person's personal data was erased.
notice-org-created = The organisation was created and its first administrator invited.

## Signing in
sign-in-title = Sign in to Somu
sign-in-button = Sign in
sign-in-failed = That email and password do not match an active account.
forgot-link = Forgotten your password?
forgot-title = Reset your password
forgot-intro = Give the email you sign in with. If it belongs to an account, we send a link to set a new password. The link works once, for an hour.
forgot-button = Send the link
forgot-sent = If that email belongs to an account, a link to set a new password is on its way.
back-to-sign-in = Back to sign in
reset-title = Choose a new password
reset-intro = Choose the password you will sign in with from now on.
invite-title = Join your organisation on Somu
invite-intro = Welcome, { $name }. { $org } has invited you to Somu. Choose a password to finish. If you already sign in to Somu for another organisation, your current password stays and this field is ignored.
field-email = Email
field-password = Password
field-new-password = New password
field-confirm-password = The same password again
password-hint = At least 10 characters. A few unrelated words make a strong password.
set-password-button = Set my password

## Mail
mail-reset-subject = Your Somu password reset link
mail-reset-body = Hello { $name },

    Someone (we hope you) asked to reset your Somu password. Open this link within an hour to choose a new one:

    { $link }

    If it was not you, ignore this message; your password stays as it is.
mail-invite-subject = You are invited to Somu
mail-invite-body = Hello { $name },

    { $org } uses Somu to help everyone speak well for it on social media. Open this link to set your password and start:

    { $link }

    The link works for 14 days.

## Home and organisations
home-title = My organisations
home-choose = Choose where to work:
home-no-orgs = You do not belong to any organisation yet. Ask your administrator for an invitation.
org-home-title = Start
org-home-welcome = Welcome, { $name }
org-home-roles = Your roles here:
org-home-people = Find and manage the people of this organisation.
org-home-import = Bring people in from an HR export (CSV).
org-home-audit = Who did what, when and from where.
org-home-outbox = Mail Somu has queued for this organisation.
org-home-tokens = Personal tokens for the JSON API.
switch-label = Switch to
switch-button = Go
orgs-title = Organisations
orgs-existing = Existing organisations
orgs-create = Create an organisation
orgs-create-button = Create and invite the administrator
field-slug = Short name (in addresses)
slug-hint = 2 to 40 lowercase letters, digits and hyphens, e.g. acme-europe.
field-admin-name = First administrator's name
field-admin-email = First administrator's email
outbox-title = Outbox
outbox-intro = Mail Somu sends is kept here. Without an SMTP relay configured, this page is how invitations and reset links reach people.
outbox-empty = No mail yet.
outbox-to = To
outbox-sent = delivered

## People
people-title = People
people-count = { $count ->
    [one] 1 person
   *[other] { $count } people
}
people-search = Search name, email or employee id
people-export = Export CSV
field-name = Name
field-employee-id = Employee id
field-audience = Audience
field-team = Team
field-manager = Manager
field-manager-key = Manager (email or employee id)
field-manager-email = Manager's email
field-employment-type = Employment
field-language = Language
field-job-title = Job title
field-start-date = Start date
field-status = Status
status-active = Active
status-inactive = Deactivated
status-all = All
audience-leadership = Leadership
audience-management = Management
audience-practitioner = Practitioner
audience-infrastructure = Infrastructure
audience-observer = Observer
employment-employee = Employee
employment-part-time = Part-time
employment-contractor = Contractor
employment-partner = Partner
role-org-admin = Organisation admin
role-programme-owner = Programme owner
role-instructor = Instructor
role-manager = Manager
role-learner = Learner
person-title = Person
person-new-title = Add a person
person-edit-title = Edit
person-inactive = This person is deactivated: they cannot sign in here and are not counted.
person-roles = Roles
person-roles-save = Save roles
person-reports = Reports to this person
person-reports-all = All their reports
person-learning = Learning and social activity
person-learning-empty = Nothing recorded yet.
person-admin = Administration
person-sign-in = Sign-in
person-has-sign-in = Has a sign-in
person-no-sign-in = Not invited yet
person-invite = Send an invitation
person-invite-link = Invitation link (also in the outbox):
person-deactivate = Deactivate
person-reactivate = Reactivate
person-data-export = Export personal data
person-erase = Erase personal data
person-erase-explain = Replaces this person's name, email, employee id and job title with placeholders and removes their sign-in. Counts and history keep their shape. This cannot be undone.
person-erase-confirm = Type ERASE to confirm
teams-title = Teams
teams-members = Members
teams-new = Add a team
teams-change = Rename or change manager

## Import
import-title = Import people
import-intro = Upload a CSV export from your HR system. You will choose which column holds what, see the result before anything is written, and a file with any bad row is refused whole. Importing the same file again changes nothing; people are matched by employee id, then email.
import-file = CSV file
import-upload-button = Upload and continue
import-uploading = Uploading
import-columns = Columns Somu understands
import-columns-intro = Headers with these names (or common variants such as "E-mail" or "Department") are recognised:
import-map-title = Check the columns
import-map-intro = File:
import-mapping = Which person field each column fills
import-column = Column
import-samples = First values
import-field = Field
import-ignore = (ignore)
import-run = Import
import-ready = { $count ->
    [one] 1 row is ready to import.
   *[other] { $count } rows are ready to import.
}
import-refused = { $count ->
    [one] The file is refused: 1 problem. Nothing was changed.
   *[other] The file is refused: { $count } problems. Nothing was changed.
}
job-title = Progress
job-kind = Work:
job-running = Working…
job-done = Finished:
job-report-ready = The report is ready.
job-open-report = Open the report
job-failed = The work was refused and nothing was changed:

## Audit
audit-title = Audit log
audit-filter = Action starts with
audit-when = When
audit-who = Who
audit-what = Action
audit-target = Target
audit-detail = Detail
audit-where = From

## API tokens
tokens-title = API tokens
tokens-intro = A personal token lets a script use Somu's JSON API as you, in this organisation only. Send it as "Authorization: Bearer …". Somu stores only a hash of it.
tokens-copy-now = Copy your new token now; it will not be shown again:
tokens-scopes = Scopes
tokens-created = Created
tokens-state = State
tokens-active = Active
tokens-revoked = Revoked
tokens-revoke = Revoke
tokens-new = New token
tokens-days = Valid for (days)
tokens-write = Allow changes (write scope)
tokens-create = Create token
