# Words of the classes pages. Message ids start with "classes-".
classes-title = Classes
classes-new-title = New session
classes-edit-title = Edit session
classes-roster-title = Take attendance
classes-catalogue-title = Open classes at { $org }
classes-catalogue-intro = Instructor-led sessions open to people from any company. Register below; no account needed.
classes-upcoming = Upcoming sessions
classes-past = Past sessions
classes-none = No sessions here yet.
classes-online = Online
classes-seats = Seats
classes-seats-taken = seats taken
classes-seats-left = seats left
classes-full = Full: new registrations join the waitlist
classes-waiting = waiting
classes-when = When
classes-you = Your place
classes-register = Register
classes-join-waitlist = Join the waitlist
classes-withdraw = Cancel my registration
classes-closed = Registration is closed for this session.
classes-add-to-calendar = Add to my calendar (.ics)
classes-public-page = Public catalogue page
classes-all-sessions = All open sessions
classes-manage = Run this session
classes-registrants = People registered
classes-no-registrants = No one has registered yet.
classes-company = Company
classes-standing = Standing
classes-attendance = Attendance
classes-enrol-label = Register someone (email or person id)
classes-enrol = Register this person
classes-notes = Notes
classes-notes-save = Save notes
classes-cancel = Cancel this session
classes-cancel-explain = Everyone registered or waiting is told by mail and in Somu, and calendars show the session as cancelled.
classes-is-cancelled = This session was cancelled.
classes-status-cancelled = Cancelled
classes-visibility-in-company = In-company
classes-visibility-open-calendar = Open calendar
classes-mine-registered = Registered
classes-mine-waitlisted = On the waitlist
classes-mine-cancelled = Withdrew
classes-mark-present = Present
classes-mark-absent = Absent
classes-present-count = present
classes-attendance-save = Save attendance
classes-field-title = Title
classes-field-course = Course (slug)
classes-field-description = Description
classes-field-time-zone = Time zone (IANA name, e.g. Europe/Oslo)
classes-field-starts = Starts (local time)
classes-field-ends = Ends (local time)
classes-field-place = Place
classes-field-online-url = Online link
classes-field-capacity = Capacity (seats)
classes-field-instructor = Instructor
classes-field-visibility = Who can see and join
classes-no-instructor = (not yet chosen)
classes-link-after = The link is sent with your confirmation.
classes-waitlist-explain = This session is full. Register to join the waitlist: you get a seat automatically, and a mail, when one frees up.
classes-leave-empty = Leave this field empty
classes-have-account = Already have a Somu account here?
classes-sign-in = Sign in to register
classes-notices = News about your sessions
classes-notice-promoted = A seat freed up: you moved from the waitlist to registered.
classes-notice-moved = A session you registered for has moved.
classes-notice-cancelled = A session you registered for was cancelled.
classes-feed = Your calendar feed
classes-feed-explain = Subscribe to this private link in your calendar app to see every session you registered for or teach, kept up to date when sessions move or are cancelled.
classes-feed-once = Copy your link now; it is shown only once. Making a new one stops the old one.
classes-feed-make = Make my calendar link
classes-feed-renew = Make a new calendar link
classes-done-created = The session was created.
classes-done-saved = Saved.
classes-done-cancelled = The session was cancelled and registrants were told.
classes-done-registered = You are registered.
classes-done-waitlisted = The session is full: you are on the waitlist and will get a seat automatically when one frees up.
classes-done-withdrawn = Your registration was cancelled.
classes-done-attendance-saved = Attendance saved.
classes-done-feed = Your new calendar link is ready.
classes-mail-promoted-subject = You have a seat: { $title }
classes-mail-promoted-body = Hello { $name },

    A seat freed up in "{ $title }" ({ $when }) and it is yours: you moved from the waitlist to registered.

    Details: { $link }
classes-mail-moved-subject = Session moved: { $title }
classes-mail-moved-body = Hello { $name },

    "{ $title }" has moved. It now takes place { $when }.

    Details: { $link }
classes-mail-cancelled-subject = Session cancelled: { $title }
classes-mail-cancelled-body = Hello { $name },

    "{ $title }" ({ $when }) was cancelled. We are sorry for the change.

    Details: { $link }
classes-mail-registered-subject = Registered: { $title }
classes-mail-registered-body = Hello { $name },

    You are registered for "{ $title }" ({ $when }).

    Details: { $link }
classes-mail-waitlisted-subject = On the waitlist: { $title }
classes-mail-waitlisted-body = Hello { $name },

    "{ $title }" ({ $when }) is full, so you are on the waitlist. If a seat frees up it becomes yours automatically and we will tell you.

    Details: { $link }
