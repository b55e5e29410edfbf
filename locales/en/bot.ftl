# baowen (报问) — bot interface texts, English. Plain text: render.ts escapes before sending.

## /start
welcome-title = Hi! I'm Baowen (报问).
welcome-body = Ask me about the reports of a Beijing trade-union newspaper. I answer only with sentences quoted verbatim from the reports, each marked with its source [n], and list headline, page and reporter. When nothing relevant is found, I say so.
welcome-examples = Try asking:
welcome-more = In groups use /ask question or @{ $bot } question; in any chat type @{ $bot } question to quote a report. /help shows everything.
example-question = What does the paper report about “{ $topic }”?

## /help
help =
    How to use Baowen:
    • Private chat: just send a question, e.g. “通州区去年新发展了多少工会会员？”
    • Groups: /ask question, or @{ $bot } question, or reply to one of my messages.
    • Any chat: type @{ $bot } question and pick a quote to send.
    • “Source n” under an answer shows the paragraph the quote comes from; 👍 / 👎 help us improve.
    Keep questions under { $max } characters. The reports are in Chinese, so Chinese questions work best.

    Commands:
    /start welcome and example questions
    /ask ask a question (in groups)
    /sources pages and articles indexed
    /status search mode and index state
    /lang switch language (中文 / English)
    /help this help

## Answers
# How sources are cited (src/citation.ts): zh 《劳动午报》2024年3月12日 第3版, en 劳动午报, 12 March 2024, p. 3
cite-style = en
start-link-broken = This link is incomplete or broken: its topic or question could not be read. Just send a question, or /subscribe to a topic.
answer-sources = Sources
btn-source = Source { $n }
refusal-intro = Sorry, I found no sentence in the indexed reports that answers this question.
refusal-examples = The reports cover topics such as:
refusal-rephrase = Try rephrasing with words the reports would use (organisations, districts, event names), one thing at a time. /sources lists the indexed articles.
refusal-english-keyword = Note: the bot is in keyword-only mode; English questions need the multilingual model to search the Chinese reports. Please ask in Chinese.
ask-empty = Please write your question after the command, e.g. /ask 顺义区去年新建了多少工会组织？
ask-usage = Usage: /ask question (e.g. /ask 顺义区去年新建了多少工会组织？). You can also write @{ $bot } question.
ask-too-long = That question is too long ({ $length } characters). Please shorten it to { $max } characters, one thing at a time, and I'll look it up.
ask-no-words = I can only answer questions written in words. Please describe in a sentence what you want to know.
passage-stale = That source passage is gone (the index may have changed). Please ask again.
feedback-thanks-up = Thanks! 👍 recorded.
feedback-thanks-down = Thanks for the feedback! 👎 recorded, we'll improve.
feedback-already = You already rated this answer.
feedback-stale = This answer is too old to rate. Please ask again.

## Inline mode
inline-hint = Type a question to search the reports
inline-nothing = Nothing relevant found, try rephrasing

## /sources
sources-heading = { $pages } pages, { $articles } articles indexed
sources-page = Page { $n }
sources-photo = (photo)
sources-empty = Nothing is indexed yet. An operator can run npm run index or send /reindex.

## /status
status-hybrid = Hybrid search (semantic vectors + keywords)
status-keyword-loud = KEYWORD-ONLY search! The semantic model is unavailable: answers are weaker and English questions cannot be searched.
status-model = Model: { $model }
status-counts = Pages { $pages } · articles { $articles } · chunks { $chunks }
status-indexed-at = Indexed at: { $at }
status-never = never

## /lang
lang-choose = Choose a language:
lang-unknown = I don't know “{ $arg }”. Choose a language:
lang-set = OK, I'll reply in English from now on.

## Operators
admin-only = This command is only for operators.
reindex-started = Re-indexing started; I'll report when it's done. Everyone else can keep asking.
reindex-running = Re-indexing is already running, please wait for it to finish.
reindex-done = Index updated ({ $mode }): { $articles } articles, { $chunks } chunks.
reindex-delta = Added { $added } · changed { $changed } · removed { $removed } · unchanged { $unchanged } · embedded { $embedded }
reindex-skipped = Skipped { $file }: { $error }
reindex-failed = Re-indexing failed: { $error }
stats =
    Users { $users } (active { $activeUsers })
    Subscriptions { $subscriptions } · deliveries { $deliveries }
    Feedback 👍 { $feedbackUp } · 👎 { $feedbackDown }
    Index ({ $mode }): pages { $pages } · articles { $articles } · chunks { $chunks }

## Other
rate-limited = You're asking too fast. Please try again in { $seconds } seconds.
error-generic = Sorry, something went wrong. Please try again later.
unknown-command = There is no /{ $command } command. Just send your question, or see /help.
non-text = I can only read text questions. Please type your question.
short-help = Just send me your question as text, without a leading /, e.g. "How many new union members did Tongzhou gain last year?" See /help for everything else.
callback-stale = This button has expired.

## Command menu
cmd-start = Welcome and example questions
cmd-ask = Ask: /ask question
cmd-sources = Pages and articles indexed
cmd-status = Search mode and index state
cmd-lang = Language / 切换语言
cmd-help = How to use the bot
cmd-reindex = Rebuild the index (operators)
cmd-stats = Usage statistics (operators)
cmd-subscribe = Follow a topic: /subscribe topic
cmd-subscriptions = My subscriptions
cmd-unsubscribe = Unfollow a topic
cmd-digest = Digest of my topics now
cmd-digest_time = Set the daily digest time

## 更多 / More (src/bot/features/more.ts)
btn-more = More
more-heading = More quotes on “{ $question }”:
more-none = There are no more quotable sentences on “{ $question }”.
more-stale = This answer is too old; please ask again.
more-not-yours = Only the person who asked can see more.

## /report (src/bot/features/report.ts)
cmd-report = What readers asked (operators)
report-title = What readers asked · last { $days } days
report-counts = { $questions } questions · answered { $answered } · refused { $refused }
report-refused = Most frequent questions the reports did not answer
report-feedback = Feedback: 👍 { $up } · 👎 { $down }
report-topics = Most followed topics
report-more = Full report: npm run report -- --days N [--json]
report-usage = Usage: /report [days], e.g. /report 7
report-off = The question log is off (QUESTION_LOG_DAYS=0).
report-chart = Questions per day (blue) and those refused (red), last { $days } days
