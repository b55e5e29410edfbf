# 报问 — 机器人界面文字（中文，默认语言）。纯文本：发送前由 render.ts 统一转义。

## /start
welcome-title = 你好！我是「报问」。
welcome-body = 关于北京工会报纸的报道，你可以直接问我。我只用报道里的原句回答，每句都标注来源 [n]，并列出标题、版面和记者；找不到相关内容时会如实告诉你。
welcome-examples = 可以试试这样问：
welcome-more = 在群里用 /ask 问题 或 @{ $bot } 问题；在任何聊天里输入 @{ $bot } 问题 也能引用报道。/help 查看全部用法。
example-question = { $topic }，具体是怎么做的？

## /help
help =
    怎么用「报问」：
    • 私聊：直接发送问题，例如“通州区去年新发展了多少工会会员？”
    • 群聊：/ask 问题，或 @{ $bot } 问题，或回复我的消息。
    • 任意聊天：输入 @{ $bot } 问题，选择一条引文发送。
    • 回答下方的“原文 n”按钮显示引文所在的段落；👍 / 👎 帮助我们改进。
    问题请控制在 { $max } 字以内。

    命令：
    /start 欢迎和示例问题
    /ask 提问（群聊中使用）
    /sources 已收录的版面和文章
    /status 检索模式和索引状态
    /lang 切换语言（中文 / English）
    /help 本帮助

## 回答
# How sources are cited (src/citation.ts): zh 《劳动午报》2024年3月12日 第3版, en 劳动午报, 12 March 2024, p. 3
cite-style = zh
start-link-broken = 这个链接不完整或已损坏，无法识别其中的话题或问题。可以直接发送问题，或用 /subscribe 话题 订阅。
answer-sources = 来源
btn-source = 原文 { $n }
refusal-intro = 抱歉，在已收录的报道里没有找到能回答这个问题的原句。
refusal-examples = 这些报道涉及的话题，例如：
refusal-rephrase = 可以换个说法试试：用报道里可能出现的词（单位、地名、活动名称），一次只问一件事。/sources 可以查看收录了哪些文章。
refusal-english-keyword = 提示：当前是仅关键词检索模式，英文问题需要多语言模型才能检索中文报道。请用中文提问。
ask-empty = 请在命令后面写上问题，例如：/ask 顺义区去年新建了多少工会组织？
ask-usage = 用法：/ask 问题（例如：/ask 顺义区去年新建了多少工会组织？）。也可以 @{ $bot } 问题。
ask-too-long = 问题太长了（{ $length } 字）。请缩短到 { $max } 字以内，只问一件事，我再去查。
ask-no-words = 我只能回答用文字写的问题。请用一句话描述你想了解什么。
passage-stale = 这条原文已经找不到了（索引可能已更新）。请重新提问。
feedback-thanks-up = 谢谢！已记录 👍
feedback-thanks-down = 谢谢反馈！已记录 👎，我们会改进。
feedback-already = 你已经评价过这个回答了。
feedback-stale = 这个回答太久了，无法再评价。请重新提问。

## 内联模式
inline-hint = 输入问题，搜索报道原句
inline-nothing = 没有找到相关报道，换个说法试试

## /sources
sources-heading = 已收录 { $pages } 个版面、{ $articles } 篇文章
sources-page = 版面 { $n }
sources-photo = （图片）
sources-empty = 还没有建立索引。请管理员运行 npm run index 或发送 /reindex。

## /status
status-hybrid = 混合检索（语义向量 + 关键词）
status-keyword-loud = 仅关键词检索！语义模型不可用，回答质量会下降，英文问题无法检索。
status-model = 模型：{ $model }
status-counts = 版面 { $pages } · 文章 { $articles } · 段落块 { $chunks }
status-indexed-at = 索引时间：{ $at }
status-never = 尚未建立

## /lang
lang-choose = 请选择语言：
lang-unknown = 不认识“{ $arg }”。请选择语言：
lang-set = 好的，之后用中文回复。

## 管理员
admin-only = 这个命令只供运营人员使用。
reindex-started = 开始重建索引，完成后会告诉你结果。其他用户可以照常提问。
reindex-running = 索引正在重建中，请等它完成。
reindex-done = 索引已更新（{ $mode }）：{ $articles } 篇文章，{ $chunks } 个段落块。
reindex-delta = 新增 { $added } · 变更 { $changed } · 删除 { $removed } · 未变 { $unchanged } · 新嵌入 { $embedded }
reindex-skipped = 跳过 { $file }：{ $error }
reindex-failed = 重建索引失败：{ $error }
stats =
    用户 { $users }（活跃 { $activeUsers }）
    订阅 { $subscriptions } · 推送 { $deliveries }
    反馈 👍 { $feedbackUp } · 👎 { $feedbackDown }
    索引（{ $mode }）：版面 { $pages } · 文章 { $articles } · 段落块 { $chunks }

## 其他
rate-limited = 提问太频繁了，请 { $seconds } 秒后再试。
error-generic = 抱歉，出了点问题，请稍后再试。
unknown-command = 没有 /{ $command } 这个命令。直接发送问题即可，/help 查看用法。
non-text = 我只能读懂文字问题。请把问题用文字发给我。
short-help = 直接把问题用文字发给我就行，不用加 /，例如：通州区去年新发展了多少工会会员？ /help 查看全部用法。
callback-stale = 这个按钮已经失效了。

## 命令菜单
cmd-start = 欢迎和示例问题
cmd-ask = 提问：/ask 问题
cmd-sources = 已收录的版面和文章
cmd-status = 检索模式和索引状态
cmd-lang = 切换语言 / Language
cmd-help = 使用帮助
cmd-reindex = 重建索引（运营）
cmd-stats = 使用统计（运营）
cmd-subscribe = 订阅话题：/subscribe 话题
cmd-subscriptions = 我的订阅
cmd-unsubscribe = 取消订阅
cmd-digest = 立即查看订阅摘要
cmd-digest_time = 设置每日摘要时间

## 更多 / More (src/bot/features/more.ts)
btn-more = 更多
more-heading = 关于「{ $question }」的更多原句：
more-none = 关于「{ $question }」没有更多可引用的原句了。
more-stale = 这个回答太久了，请重新提问。
more-not-yours = 只有提问的人可以查看更多。

## /report (src/bot/features/report.ts)
cmd-report = 读者提问报告（运营）
report-title = 读者提问报告 · 最近 { $days } 天
report-counts = 提问 { $questions } 个 · 已回答 { $answered } · 未能回答 { $refused }
report-refused = 报道没能回答的问题（最常见）
report-feedback = 反馈：👍 { $up } · 👎 { $down }
report-topics = 订阅最多的话题
report-more = 完整报告：npm run report -- --days N [--json]
report-usage = 用法：/report [天数]，例如 /report 7
report-off = 提问记录已关闭（QUESTION_LOG_DAYS=0）。
report-chart = 最近 { $days } 天每天的提问数（蓝）及其中未能回答的（红）
