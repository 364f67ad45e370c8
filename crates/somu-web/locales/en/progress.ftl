# Words of the progress pages. Message ids start with "progress-".
progress-nav-learn = Learn
progress-home-title = My learning
progress-mine-title = My progress
progress-catalogue = Catalogue
progress-notifications = Reminders
progress-mark-read = Mark as read
progress-todo = To do
progress-done = Done
progress-nothing-todo = Nothing is assigned to you right now. The catalogue has courses you can take whenever you like.
progress-nothing-done = Nothing finished yet.
progress-mandatory = Mandatory
progress-voluntary = Voluntary
progress-kind-track = Track
progress-kind-course = Course
progress-standing-overdue = Overdue
progress-standing-in-progress = In progress
progress-standing-not-started = Not started
progress-standing-done = Done
progress-due = Due
progress-courses-done = courses done
progress-resume = Resume where you left off
progress-start = Start
progress-completed = Completed
progress-csv = Download CSV
progress-total-time = Time spent learning
progress-minutes = Minutes
progress-hours = Hours
progress-courses = Courses
progress-no-courses = You have not started a course yet.
progress-course = Course
progress-lessons = Lessons
progress-score = Best score
progress-started = Started
progress-tests = Pre-test and post-test
progress-no-tests = No tests taken yet.
progress-track = Track
progress-tracks = Tracks
progress-pre = Pre-test
progress-post = Post-test
progress-gain = Gain (points)
progress-post-passed = Post-test passed
progress-yes = Yes
progress-no = No

progress-assignments-title = Assignments
progress-programme-title = Programme progress
progress-cohorts-title = Cohorts
progress-import-title = Import completions
progress-current = Current assignments
progress-no-assignments = Nothing is assigned yet. Use the form below to assign a track or a course.
progress-what = What
progress-who = Who
progress-people = People
progress-withdraw = Withdraw
progress-scope-everyone = Everyone
progress-scope-audience = An audience
progress-scope-team = A team
progress-scope-people = A list of people
progress-no-due = No due date
progress-days-after-start = days after the person's start date
progress-days-after-assigned = days after the assignment
progress-days-after-fixed = fixed date
progress-days-after-none = no due date
progress-new-assignment = Assign a track or a course
progress-choose = Choose…
progress-audience-if = Audience (when assigning to an audience)
progress-team-if = Team (when assigning to a team)
progress-people-if = People (when assigning to a list): emails or employee ids, separated by commas or new lines
progress-due-rule = Due date
progress-due-kind-none = No due date
progress-due-kind-fixed = On a fixed date
progress-due-kind-start = A number of days after each person's start date
progress-due-kind-assigned = A number of days after today
progress-due-date = Fixed due date
progress-due-days = Number of days
progress-assign = Assign

progress-funnel = Completion funnel
progress-funnel-assigned = Assigned
progress-funnel-started = Started
progress-funnel-completed = Completed
progress-funnel-post-passed = Post-test passed
progress-stage = Stage
progress-by-audience = By audience
progress-by-team = By team
progress-by-course = By course
progress-by-cohort = By cohort
progress-audience = Audience
progress-team = Team
progress-no-team = No team
progress-avg-score = Mean score
progress-cohort = Cohort
progress-no-cohorts = No cohorts yet.
progress-overdue = Overdue
progress-none-overdue = Nobody is overdue.
progress-overdue-more = Only the first 200 are shown; the CSV has everyone.
progress-person = Person

progress-team-title = My team's progress
progress-no-reports = Nobody reports to you in Somu yet.
progress-indirect = indirect
progress-next-due = Next due

progress-new-cohort = Start a cohort
progress-cohort-name = Name
progress-start-date = Start date
progress-members-list = Members: emails or employee ids, separated by commas or new lines
progress-create-cohort = Create the cohort
progress-no-members = This cohort has no members yet.
progress-cohort-grid = Each member's progress through the track's courses
progress-add-members = Add members
progress-add = Add

progress-import-intro = Bring in completions recorded by another learning system. The whole file is checked first: if any line is wrong, nothing is recorded and every problem is listed with its line. Importing the same file again changes nothing.
progress-import-file = Completions file (CSV)
progress-import-button = Check and import
progress-import-columns = Columns
progress-import-person = the person's email or employee id
progress-import-course = the course slug in this organisation's catalogue
progress-import-score = optional, percent from 0 to 100
progress-import-done = Import finished.
progress-import-added = Recorded
progress-import-skipped = Already recorded

progress-remind-due-soon-subject = Due { $due }: { $title }
progress-remind-due-soon-body = Hello { $name },

    "{ $title }" is due on { $due }. You can carry on where you left off here:
    { $link }
progress-remind-overdue-subject = Overdue since { $due }: { $title }
progress-remind-overdue-body = Hello { $name },

    "{ $title }" was due on { $due } and is not finished yet. Your manager has been told. Carry on here:
    { $link }
progress-remind-manager-subject = { $name } is overdue: { $title }
progress-remind-manager-body = { $name } has not finished "{ $title }", which was due on { $due }. You are receiving this as their manager.
