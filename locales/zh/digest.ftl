# 订阅与话题摘要（src/bot/features/subscribe.ts, src/digest/*）。
# 与 bot.ftl 一样是纯文本：代码在放进 HTML 消息时统一转义并加粗体等标记。

## 摘要消息
digest-title = 📰 报问 · 订阅摘要
digest-title-cont = 📰 报问 · 订阅摘要（续）
digest-topic = 🔖 话题：{ $topic }
digest-source = 来源：{ $source }
digest-also = 同时属于话题：{ $topics }
digest-footer = 管理订阅：/subscriptions · 推送时间：/digest_time

## /subscribe
sub-usage =
    用法：/subscribe 话题
    有与话题相关的新报道时，我会发给你一份摘要：每条附标题、原文关键句和出处。
    例如：
    /subscribe 植树
    /subscribe 新就业形态劳动者入会
    /subscribe 冬季送温暖慰问
sub-too-long = 话题太长了：最多 { $max } 个字。
sub-added = ✅ 已订阅「{ $topic }」。之后有新报道入库，我会推送摘要（每日 { $time }，新版面入库后也会推送）。
sub-added-off = ✅ 已订阅「{ $topic }」。你已关闭自动推送，可随时发送 /digest 查看新报道；/digest_time 08:00 可重新开启。
sub-exists = 你已经订阅了「{ $topic }」。
sub-limit = 最多可以订阅 { $limit } 个话题。请先用 /unsubscribe 取消一些。
sub-preview-title = 目前最相关的报道：
sub-preview-none = 目前还没有与这个话题相关的报道，有新报道时我会告诉你。

## /subscriptions、/unsubscribe
subs-empty = 你还没有订阅任何话题。发送 /subscribe 话题 开始订阅，例如 /subscribe 植树
subs-title = 你订阅的话题（{ $count }）：
subs-hint = 点击 ❌ 可取消对应话题。
unsub-choose = 要取消哪个话题？
unsub-done = 已取消订阅「{ $topic }」。
unsub-done-toast = 已取消：{ $topic }
unsub-not-found = 没有找到订阅「{ $topic }」。发送 /subscriptions 查看你的订阅。
unsub-gone = 这个订阅已经取消了。

## /digest
digest-no-subs = 你还没有订阅话题，所以没有摘要。发送 /subscribe 话题 开始订阅。
digest-nothing-new = 自上次摘要以来，你订阅的话题（{ $topics }）还没有新报道。有新报道时我会自动推送。
digest-sent = 以上是你的摘要：{ $articles } 篇新报道。
digest-failed = 摘要发送失败，稍后会自动重试。

## /digest_time
digest-time-current = 每日摘要时间：{ $time }（{ $tz }）。
    修改：/digest_time 08:00 · 关闭自动推送：/digest_time off · 恢复默认：/digest_time default
digest-time-current-off = 自动推送已关闭，你仍可随时发送 /digest 查看新报道。
    开启：/digest_time 08:00
digest-time-set = ✅ 每日摘要时间已设为 { $time }（{ $tz }）。
digest-time-default = ✅ 已恢复默认摘要时间 { $time }（{ $tz }）。
digest-time-off = ✅ 已关闭自动推送。需要时发送 /digest 查看新报道。
digest-time-invalid = 看不懂这个时间：「{ $input }」。请用 24 小时制 HH:MM，例如 /digest_time 08:00，或 /digest_time off 关闭。
