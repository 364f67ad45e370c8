# Words of the analytics pages. Message ids start with "analytics-".

## Definitions, as PRODUCT.md states them (the help page; a test compares the two).
analytics-def-for = For an account a and a period P:
analytics-def-followers = followers(a,t): the latest follower-count snapshot at or before t.
analytics-def-engagements = engagements(p) of a post p: likes + reposts + replies + quotes (+ clicks, saves where a platform gives them).
analytics-def-reach = reach(p): impressions where the platform reports them, else followers of the author at post time ("potential reach"); the UI says which.
analytics-def-engagement-rate = engagement rate ER over a set of posts: Σ engagements / Σ reach.
analytics-def-warmth = warmth(p) = (1 + s)/2 in [0,1], s the mean sentiment compound of the replies and mentions p received, else of p's own text. Warmth over a set: engagement-weighted mean.
analytics-def-cold = cold score C: audience = Σ followers of the accounts at the end of P.
analytics-def-warm = warm score W = ER × warmth.
analytics-def-influence = influence (Return on Influence) I = C × W: the warm engagements a post can expect at the current audience. Always shown with C and W beside it.
analytics-def-revpaf = RevPAF (revenue per available fan/follower) = revenue in P / audience of the organisation's brand accounts at the end of P (option: include linked employee accounts).
analytics-def-share-of-voice = share of voice: of all posts mentioning the brand in P, the shares authored by brand accounts, employees, and everyone else; democratisation of influence = 1 − brand share.
analytics-def-emv = earned media value: Σ engagements by type × the organisation's value per type (no built-in money values: the organisation sets them).
analytics-def-active = active person-week: at least one original post in the week.
analytics-def-adoption = adoption curve: for trained people aligned on the week of completion (k = −12…+12), the share active and the mean posts, engagements and influence per week; milestones at weeks 6 and 12.
analytics-def-effect = training effect: difference-in-differences per completion cohort (weeks c−8…c−1 before, c+1…c+8 after) against people not yet trained through c+8, averaged over cohorts by size, with a 95% bootstrap interval over people (seeded, reproducible).
analytics-def-kirkpatrick = Kirkpatrick: L1 reaction = mean survey rating and NPS; L2 learning = mean post-test minus pre-test score; L3 behaviour = adoption at weeks 6 and 12 and its effect; L4 results = effect on influence and on RevPAF; Phillips L5: ROI % = (benefits − costs) / costs × 100 and BCR = benefits / costs, benefits monetised from the effect with the organisation's own values, costs entered per programme (content, instructors, platform, learner hours).

## How Somu applies them where the definitions leave a choice.
analytics-choice-1 = No made-up numbers: when a metric cannot be computed the page says "not enough data" and why (no posts, no reach, no followers, no costs, nobody to compare with…).
analytics-choice-2 = Weeks are ISO weeks starting on Monday, in UTC. A week belongs to a period when its Monday does; "the end of P" is the first instant after P's last day.
analytics-choice-3 = Engagements count clicks and saves as 0 where a platform does not report them. Reach over a set of posts is the sum of their reach and says whether it is impressions, potential reach, or mixed.
analytics-choice-4 = Warmth: sentiment outside −1…1 is clamped to it. Warmth over a set averages the posts that have a warmth, weighted by their engagements. When ER is 0, W is 0.
analytics-choice-5 = Posts in the adoption curve and the training effect are original posts. Influence of a person-week is C × W of that week's posts with C the person's audience at the end of the week, and 0 in a week without posts.
analytics-choice-6 = Training effect: week c itself is in neither window; a cohort whose windows are not fully observed, or that has nobody to compare with, is left out with its reason. The interval is the 2.5th–97.5th percentile of 1,000 resamples drawn with a fixed seed.
analytics-choice-7 = NPS = % promoters (9–10) − % detractors (0–6). L4 on RevPAF is shown as the change from the previous period to this one: one organisation-wide number has no comparison group.
analytics-choice-8 = Phillips L5: benefits = trained people × the weeks of the report period × the effect per person-week × the organisation's value per extra post, engagement or unit of influence. Learner hours = hourly cost × recorded learning time. RevPAF counts revenue of the calendar months that start in the period.

## Reasons for "not enough data".
analytics-not-enough-data = Not enough data
analytics-reason-no-posts = there are no posts in this period
analytics-reason-no-reach = the posts have no reach (no impressions and no followers)
analytics-reason-no-followers = no follower count is known at or before the end of the period
analytics-reason-no-engagements = the posts have no engagements
analytics-reason-no-sentiment = no sentiment score is available for these posts
analytics-reason-no-costs = no programme costs have been entered
analytics-reason-no-revenue = no revenue has been entered for this period
analytics-reason-no-comparison-group = there is nobody left untrained to compare with over the same weeks
analytics-reason-no-trained-people = nobody has completed training in the observed weeks
analytics-reason-window-outside-data = the 8 weeks before or after completion are not all in the observed data
analytics-reason-no-responses = there are no survey responses
analytics-reason-no-test-pairs = no learner has both a pre-test and a post-test score
analytics-reason-no-people-observed = nobody has activity observed at this point
analytics-reason-out-of-range = an input value is outside its allowed range
analytics-reason-not-finite = the inputs are too extreme to give a meaningful number
analytics-reason-no-values = the organisation has not set money values to monetise this

## Pages and navigation.
analytics-nav-label = Analytics
analytics-nav-link = Results
analytics-leadership-title = Programme results
analytics-programmes-title = Programmes (Kirkpatrick)
analytics-report-updating = These figures were prepared on { $built }. Newer activity or entries have arrived since, and updated figures are being prepared: reload this page in a minute or two to see them.
analytics-me-title = My influence
analytics-inputs-title = Revenue, values and costs
analytics-help-title = How the numbers are defined
analytics-help-intro = Every number on the analytics pages follows these definitions. They are the product's own, stated here word for word.
analytics-help-definitions = Definitions
analytics-help-choices = How Somu applies them
analytics-from = From
analytics-to = To
analytics-show = Show
analytics-csv = Download these numbers (CSV)

## Leadership one-pager.
analytics-headline-heading = Is the programme working?
analytics-people-trained = People trained (completed a track)
analytics-people-certified = People certified (a valid credential at the end of the period)
analytics-adoption-week6 = Active 6 weeks after training
analytics-adoption-week12 = Active 12 weeks after training
analytics-period-heading = Social activity: this period and the one before
analytics-period-intro = Posts, reach and influence of the organisation's people and brand accounts.
analytics-posts = Posts
analytics-original-posts = Original posts
analytics-engagements = Engagements
analytics-reach = Reach
analytics-reach-kind-impressions = impressions
analytics-reach-kind-potential = potential reach
analytics-reach-kind-mixed = impressions and potential reach
analytics-er = Engagement rate (ER)
analytics-warmth = Warmth
analytics-cold = Cold score C (audience)
analytics-warm = Warm score W
analytics-influence = Influence I = C × W
analytics-emv = Earned media value
analytics-revenue = Revenue
analytics-brand-audience = Brand accounts' followers
analytics-revpaf = RevPAF (revenue per follower)
analytics-active-people = Active people
analytics-weeks-heading = Week by week
analytics-weeks-table = Original posts, engagements, active people and influence per week
analytics-chart-weeks = Original posts per week
analytics-chart-weeks-desc = Bars: original posts by the organisation's people in each week of the period.
analytics-chart-influence = Influence per week
analytics-chart-influence-desc = Line: the sum of the people's influence in each week of the period.
analytics-effect-heading = Training effect
analytics-effect-table = Difference-in-differences per person-week, with 95% intervals
analytics-treated = Trained people:
analytics-comparison = compared with:
analytics-resamples = bootstrap resamples:
analytics-seed = seed
analytics-no-interval = no interval
analytics-cohort = Cohort
analytics-chart-cohorts = Effect on posts by completion cohort
analytics-chart-cohorts-desc = Line: each cohort's effect on original posts per week; band: the 95% interval of the overall effect.
analytics-outcome-posts = Original posts per week
analytics-outcome-engagements = Engagements per week
analytics-outcome-influence = Influence per week
analytics-outcome-active-share = Share active
analytics-adoption-heading = Adoption curve
analytics-adoption-intro = Trained people aligned on the week they completed training (week 0): the share active and the mean activity per week before and after.
analytics-adoption-table = Adoption by week since completion
analytics-chart-adoption = Share of trained people active, by week since completion
analytics-chart-adoption-desc = Line: percentage of trained people with at least one original post, from 12 weeks before to 12 weeks after completion.
analytics-roi-heading = Return on investment (Phillips level 5)
analytics-roi-people = Trained people counted:
analytics-roi-weeks = weeks of benefit counted:
analytics-roi-interval = 95% interval of ROI:
analytics-costs = Total costs
analytics-benefits = Benefits
analytics-roi-percent = ROI %
analytics-bcr = Benefit-cost ratio (BCR)
analytics-learning-minutes = Recorded learning time (minutes)
analytics-learner-hours = Learner hours cost
analytics-col-metric = Measure
analytics-col-value = Value
analytics-col-outcome = Outcome
analytics-col-effect = Effect
analytics-col-interval = 95% interval
analytics-col-treated = Trained: before → after
analytics-col-comparison = Compared: before → after
analytics-col-k = Week since completion
analytics-col-people = People
analytics-col-week = Week
analytics-col-level = Level

## Programme owner.
analytics-all-programmes = All tracks together
analytics-kirkpatrick-table = Kirkpatrick levels 1–4 and Phillips level 5
analytics-trained = People who completed it
analytics-l1-rating = L1 reaction: mean rating
analytics-l1-nps = L1 reaction: NPS
analytics-l2-gain = L2 learning: post-test minus pre-test (points)
analytics-pairs = learners with both tests
analytics-l3-week6 = L3 behaviour: active at week 6
analytics-l3-week12 = L3 behaviour: active at week 12
analytics-l3-effect = L3 behaviour: effect on the share active
analytics-l3-posts = L3 behaviour: effect on original posts per week
analytics-l4-influence = L4 results: effect on influence per week
analytics-l4-revpaf = L4 results: RevPAF change from the previous period
analytics-l5-roi = L5 ROI %
analytics-l5-bcr = L5 benefit-cost ratio
analytics-followed-by-change = Followed by behaviour change: trained people post more than those not yet trained.
analytics-not-followed-by-change = Not followed by behaviour change: trained people do not post more than those not yet trained. Worth a look in the curriculum.
analytics-change-unknown = Not enough data yet to tell whether this is followed by behaviour change.

## Person.
analytics-me-heading = My influence over time
analytics-me-table = My weeks: posts, engagements, cold, warm and influence
analytics-chart-me = My influence per week
analytics-chart-me-desc = Line: my influence (cold score × warm score) in each week of the period; gaps are weeks without enough data.
analytics-me-completed = I completed my training on
analytics-me-posts = Original posts per week, 8 weeks before → after:
analytics-me-influence = influence per week
analytics-me-not-trained = I have not completed a track yet, so there is no before and after.

## Inputs.
analytics-inputs-intro = Somu cannot know these: enter them so that RevPAF, earned media value and ROI can be computed. Amounts in the organisation's currency, e.g. 1234.56; leave a field empty to remove it.
analytics-inputs-revenue = Revenue per month
analytics-inputs-values = Money value per engagement and per unit of effect
analytics-inputs-costs = Programme costs
analytics-value-like = Value of a like
analytics-value-repost = Value of a repost
analytics-value-reply = Value of a reply
analytics-value-quote = Value of a quote
analytics-value-click = Value of a click
analytics-value-save = Value of a save
analytics-value-post = Value of an extra original post
analytics-value-engagement = Value of an extra engagement
analytics-value-influence = Value of an extra unit of influence
analytics-cost-content = Content
analytics-cost-instructors = Instructors
analytics-cost-platform = Platform
analytics-cost-learner-hourly = Learner time: cost per hour
analytics-pdf = Download as PDF (for printing and the board)
analytics-pdf-period = Period:
analytics-pdf-comparison = Compared with:
analytics-pdf-made = Made on
analytics-pdf-definitions = Definitions
analytics-report-leadership = Programme results: leadership summary
analytics-report-training-effect = Training effect
analytics-report-adoption = Adoption after training
analytics-report-kirkpatrick = Programmes: Kirkpatrick and Phillips levels
analytics-report-roi = Return on investment
analytics-report-influence = Influence and social activity
analytics-team-title = My team
analytics-team-empty = No one reports to this manager yet.
analytics-team-help-heading = Who might need help
analytics-team-help-intro = These people have overdue mandatory training, have not posted since their training, or their influence fell by more than half (last four weeks against the four before). A conversation may help.
analytics-team-help-none = No one on the team has overdue mandatory training, silence since training or falling influence.
analytics-team-why-overdue-mandatory = mandatory training is overdue
analytics-team-why-no-activity = no original post since their training
analytics-team-why-falling-influence = influence fell by more than half
analytics-team-learning-heading = Learning
analytics-team-people-caption = Each person's assignments and social activity in the period (overdue: all, with mandatory ones in brackets; influence: the four weeks before the last four, then the last four)
analytics-team-chart-learning = The team's assignments
analytics-team-chart-learning-desc = Bars: assignments in force, completed and overdue, summed over the team.
analytics-team-social-heading = Social activity by week
analytics-team-social-intro = The team's original posts, engagements, active people and influence in each week of the period, from the weekly roll-ups.
analytics-team-chart-posts = The team's original posts and active people per week
analytics-team-chart-posts-desc = Lines: original posts by the team each week, and how many people posted.
analytics-team-chart-influence = The team's influence per week
analytics-team-chart-influence-desc = Line: the sum of the team's influence (I = C × W) each week.
analytics-team-col-person = Person
analytics-team-col-why = Why
analytics-team-col-team = Team
analytics-team-col-assigned = Assigned
analytics-team-col-completed = Completed
analytics-team-col-overdue = Overdue
analytics-team-col-overdue-mandatory = Overdue mandatory
analytics-team-col-posts = Original posts
analytics-team-col-engagements = Engagements
analytics-team-col-active = Active people
analytics-team-col-influence = Influence
analytics-team-col-week = Week
analytics-inputs-programme-costs = Costs of the programme
