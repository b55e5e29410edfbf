# Subscriptions and topic digests (src/bot/features/subscribe.ts, src/digest/*).
# Plain text like bot.ftl: code escapes it and adds the markup when putting it into an HTML message.

## Digest message
digest-title = 📰 Baowen · your topic digest
digest-title-cont = 📰 Baowen · your topic digest (continued)
digest-topic = 🔖 Topic: { $topic }
digest-source = Source: { $source }
digest-also = Also under: { $topics }
digest-footer = Manage: /subscriptions · Delivery time: /digest_time

## /subscribe
sub-usage =
    Usage: /subscribe topic
    When new reports on the topic are indexed I send you a digest: headline, a key sentence quoted verbatim, and the source.
    For example:
    /subscribe 植树
    /subscribe new forms of employment
    /subscribe Beijing Economic-Technological Development Area
sub-too-long = That topic is too long: { $max } characters at most.
sub-added = ✅ Subscribed to “{ $topic }”. I will send a digest of new reports (daily at { $time }, and right after new pages are indexed).
sub-added-off = ✅ Subscribed to “{ $topic }”. Automatic digests are off; send /digest any time, or /digest_time 08:00 to turn them on.
sub-exists = You are already subscribed to “{ $topic }”.
sub-limit = You can follow at most { $limit } topics. Remove some with /unsubscribe first.
sub-preview-title = Best current matches:
sub-preview-none = No report matches this topic yet; I will tell you when one does.

## /subscriptions, /unsubscribe
subs-empty = You have no subscriptions. Send /subscribe topic, e.g. /subscribe 植树
subs-title = Your topics ({ $count }):
subs-hint = Tap ❌ to unsubscribe from a topic.
unsub-choose = Which topic should I remove?
unsub-done = Unsubscribed from “{ $topic }”.
unsub-done-toast = Removed: { $topic }
unsub-not-found = No subscription “{ $topic }”. See /subscriptions.
unsub-gone = That subscription is already gone.

## /digest
digest-no-subs = You have no subscriptions, so there is no digest. Send /subscribe topic to start.
digest-nothing-new = Nothing new on your topics ({ $topics }) since your last digest. New reports will be sent automatically.
digest-sent = That was your digest: { $articles } new report(s).
digest-failed = The digest could not be sent; it will be retried automatically.

## /digest_time
digest-time-current = Daily digest time: { $time } ({ $tz }).
    Change: /digest_time 08:00 · turn off: /digest_time off · back to default: /digest_time default
digest-time-current-off = Automatic digests are off; /digest still works any time.
    Turn on: /digest_time 08:00
digest-time-set = ✅ Daily digest time set to { $time } ({ $tz }).
digest-time-default = ✅ Back to the default digest time { $time } ({ $tz }).
digest-time-off = ✅ Automatic digests are off. Send /digest whenever you want one.
digest-time-invalid = I can't read the time “{ $input }”. Use 24-hour HH:MM, e.g. /digest_time 08:00, or /digest_time off.
