# Words of the survey pages. Message ids start with "surveys-".
surveys-nav = Surveys
surveys-title = Surveys
surveys-mine = My surveys
surveys-open = Waiting for your answer
surveys-none-open = No survey is waiting for you. When you finish a track or a course, a short survey about it appears here.
surveys-past = Answered or closed
surveys-answered = Answered
surveys-closed = Closed
surveys-closes = Open until
surveys-answer = Answer the survey
surveys-about = About
surveys-wave = Wave
surveys-wave-0 = At completion
surveys-wave-6 = 6 weeks after completion
surveys-wave-12 = 12 weeks after completion
surveys-kind-track = Track
surveys-kind-course = Course
surveys-anonymous-note = Your answers are stored without your name. Reports only show groups of at least { $min } responses, and comments are shown without names in a shuffled order.
surveys-required = required
surveys-optional = optional
surveys-submit = Send my answers
surveys-already-answered = You have already answered this survey. Thank you.
surveys-is-closed = This survey is closed and no longer takes answers.
surveys-err-answered = This survey has already been answered; only one answer per person is kept.
surveys-err-closed = This survey is closed.
notice-surveys-answered = Thank you. Your answers are recorded anonymously.
notice-surveys-saved = The survey settings are saved.
notice-surveys-template-saved = The template is saved.
surveys-rating-1 = 1, not at all
surveys-rating-5 = 5, extremely
surveys-likert-1 = Strongly disagree
surveys-likert-2 = Disagree
surveys-likert-3 = Neither agree nor disagree
surveys-likert-4 = Agree
surveys-likert-5 = Strongly agree
surveys-nps-0 = 0, not at all likely
surveys-nps-10 = 10, extremely likely
surveys-your-answer = Your answer

# Owners' pages.
surveys-manage = Manage surveys
surveys-templates = Templates
surveys-shipped = Templates that come with Somu
surveys-own = Your organisation's templates
surveys-no-own = No templates of your own yet. Copy one of Somu's to change its questions.
surveys-copy = Copy and edit
surveys-edit = Edit
surveys-questions = Questions
surveys-question = Question
surveys-question-text = Question text
surveys-question-kind = Type
surveys-question-required = Required
surveys-qkind-rating = Rating 1–5
surveys-qkind-nps = Recommendation 0–10
surveys-qkind-likert = Agreement 1–5
surveys-qkind-text = Free text
surveys-template-title = Title
surveys-edit-help = Leave a question's text empty to remove it. Empty rows at the end add questions. Surveys already sent keep the questions they were sent with.
surveys-save = Save
surveys-plans = When surveys go out
surveys-plans-help = For each track and course, the survey sent at completion and 6 and 12 weeks later. "Default" is reaction at completion, confidence at +6 weeks and intended behaviour at +12 weeks for tracks, and reaction at completion only for courses.
surveys-plan-default = Default
surveys-plan-none = None
surveys-settings = Settings
surveys-min-group = Minimum group size
surveys-min-group-help = Results of a group with fewer responses are not shown at all.
surveys-remind-days = Reminder after (days unanswered)
surveys-open-days = Open for (days)
surveys-object = Track or course
surveys-template = Survey

# Results.
surveys-results = Survey results
surveys-results-help = Answers are anonymous: Somu never shows who answered what. A group with fewer responses than the minimum group size is not shown or broken down.
surveys-filter = Show
surveys-all = All
surveys-cohort = Completion month
surveys-responses = Responses
surveys-sent = Sent
surveys-response-rate = Response rate
surveys-mean = Mean
surveys-nps = NPS
surveys-nps-help = Net Promoter Score: the percentage answering 9 or 10 minus the percentage answering 0 to 6.
surveys-score = Score
surveys-count = Answers
surveys-too-few = Not enough responses to show without singling someone out ({ $n } so far; at least { $min } are needed).
surveys-comments = Comments (without names, in a shuffled order)
surveys-no-comments = No comments.
surveys-no-results = No responses yet.
surveys-csv = Download CSV
surveys-details = Details
surveys-chart-desc = How many people gave each score to: { $q }
surveys-overview = Overview by survey, wave and track

# Notifications and mail.
surveys-sent-subject = A short survey about { $title }
surveys-sent-body = Hello { $name },

    You finished { $title }. Please tell us how it went: the survey takes two minutes and your answers are anonymous.

    { $link }

    It is open until { $closes }.
surveys-remind-subject = Reminder: a short survey about { $title }
surveys-remind-body = Hello { $name },

    A short survey about { $title } is still waiting for your answer. It takes two minutes and your answers are anonymous.

    { $link }

    It is open until { $closes }.

# Shipped templates: reaction.
surveys-tpl-reaction-title = Your reaction to the training
surveys-tpl-reaction-q1 = How useful was this training for your work?
surveys-tpl-reaction-q2 = How relevant was the content to your role?
surveys-tpl-reaction-q3 = How likely are you to recommend this training to a colleague?
surveys-tpl-reaction-q4 = What would you change, keep or add?
# Shipped templates: confidence.
surveys-tpl-confidence-title = Your confidence, some weeks on
surveys-tpl-confidence-q1 = I feel confident writing a post about my work that follows our guidelines.
surveys-tpl-confidence-q2 = I feel confident replying to a comment or question in public.
surveys-tpl-confidence-q3 = I feel confident knowing what I must not share.
surveys-tpl-confidence-q4 = I feel confident asking for help when a conversation turns difficult.
surveys-tpl-confidence-q5 = Is there anything that still holds you back?
# Shipped templates: intended behaviour.
surveys-tpl-behaviour-title = What you plan to do next
surveys-tpl-behaviour-q1 = What will you do on social media in the next few weeks because of this training?
surveys-tpl-behaviour-q2 = How often do you intend to post about your work (1 = rarely, 5 = several times a week)?
surveys-tpl-behaviour-q3 = I have a clear plan for what to share next.
surveys-tpl-behaviour-q4 = What support would help you follow through?
