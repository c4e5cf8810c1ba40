// English, the complete set: every key a text may have. Fluent syntax; placeables `{ $name }`.
// Config overrides (`templates.*`, `texts.<locale>.<key>`) use the same keys with `{name}` placeholders.
export const en = `
## Onboarding: to the client (the old-form \`templates\` of the config set these in the project's locale)
askEmail = Welcome! To connect you with your team, please send the email address of your account.
invalidEmail = That doesn't look like an email address. Please send the email of your account.
unknownEmail = We couldn't find an account with that email. Please check it and try again.
cooldown = Too many attempts. Please wait a few minutes and try again.
alreadyLinked = That account is already connected to another Telegram user. Our team has been notified.
pendingAssignment = Thank you! Our team will be with you shortly. You can already write your question here.
welcomeClient = Hello { $name }! Your team is ready. Write here any time: we answer in this chat.
noCommandsNeeded = Just write your message here; there is no need for commands.
rejected = Sorry, we can't open a conversation for this account. Please contact us through the usual channels.

## Onboarding: to staff
topicNotice = New customer { $name } ({ $accountId }). Assigned by { $decidedBy }.
linkConflictAlert = ⚠️ { $name }{ $hasUsername ->
        [yes] {" "}(@{ $username })
       *[no] {""}
    }, id { $telegramId } gave the email { $email }, whose account is already linked to another Telegram user. Refused.
cardTitle = 🆕 New customer waiting for a team
cardName = Name: { $name } ({ $hasUsername ->
        [yes] @{ $username },{" "}
       *[no] {""}
    }id { $telegramId })
cardEmail = Email: { $email }
cardAccount = Account: { $accountId } · { $accountName }
cardTeamHint = CR team hint: { $hint }
cardTreatmentFlag = Treatment flag: { $treatment ->
        [yes] yes
       *[no] no
    }
cardRejected = ✖ Rejected by { $lead } at { $stamp }
cardAssigned = ✅ Assigned to { $team }{ $treatment ->
        [yes] {" "}+ Treatment
       *[no] {""}
    } by { $lead } at { $stamp }
cardTeamButton = → { $team }{ $hinted ->
        [yes] {" "}★
       *[no] {""}
    }
cardTreatmentButton = { $on ->
        [yes] ☑
       *[no] ☐
    } + Treatment
cardRejectButton = ✖ Reject
cardNoLongerValid = This card is no longer valid.
cardCustomerGone = The customer or their account record is gone.
cardTeamGone = CR team "{ $team }" no longer exists in the configuration.
cardAlreadyDecided = Already decided.
cardTreatmentOn = Treatment topic will be opened.
cardTreatmentOff = No Treatment topic.
cardRaceLost = Someone else decided just now.
cardRejectedAnswer = Rejected.
cardAssignedAnswer = Assigned to { $team }.
cardDecidedBy = Already decided by { $who }.
someone = someone
userById = user { $id }
profileName = 👤 { nameWithUsername }
nameWithUsername = { $name }{ $hasUsername ->
        [yes] {" "}(@{ $username })
       *[no] {""}
    }
profileTelegramId = Telegram id: { $telegramId }
profileTeam = CR team: { $team }{ $treatment ->
        [yes] {" "}· Treatment
       *[no] {""}
    }
profileOwner = Owner: { $owner }
profileTags = Tags: { $tags }
profileNotes = Notes:
profileHowToAnswerWithNotes = Reply in this topic to answer the client; start a message with { $notePrefix } for an internal note.
profileHowToAnswer = Reply in this topic to answer the client.
apiNotStaff = User { $userId } is not on the staff of project { $project }
apiNoCustomer = No customer { $customerId } in project { $project }
noSuchTeam = There is no CR team "{ $team }" in the configuration.
apiMoving = Moving to { $team }; the history is being replayed.
apiNotWaiting = This customer is not waiting for an assignment.
apiCardNotPosted = The onboarding card is not posted yet; try again in a moment.

## Conversations: resolving and rating
ratingPrompt = Your conversation was marked as resolved. How did we do? Please rate it from 1 (poor) to 5 (excellent).
ratingThanks = You rated it { $rating }/5. Thank you!
ratingExpired = This rating request has expired. Thank you all the same!
ratingAlreadyGiven = You have already rated this conversation. Thank you!
ratingThankYou = Thank you for your rating!
ratedNotice = ⭐ { $name } rated the conversation { $rating }/5.
buttonNoLongerValid = This button is no longer valid.
customerGone = This customer no longer exists.
notOnboarded = This customer is not onboarded yet.
aColleague = a colleague
someoneCapital = Someone
resolvedBy = ✅ Resolved by { $who }. The client's next message reopens the conversation.
resolvedByClosing = ✅ Resolved: { $who } closed the CR topic. The client's next message reopens the conversation.
alreadyResolved = The conversation with { $name } is already resolved.

## Reassignment (moving a customer between CR teams)
reassignedClient = Your conversation is now looked after by { $team }. Nothing changes for you: keep writing here.

## Owners: transfer, queue, presence
nobody = nobody
transferNoTeamYet = This customer has no CR team yet, so there is nobody to transfer them to.
transferNobodyElse = There is nobody else in { $team } to transfer this customer to.
transferPrompt = 🔁 Transfer { $name } (owner: { $owner }) to whom?
transferReason = Reason: { $note }
transferAgentButton = → { $agent } · { $presence }
transferTeamButton = 🔀 { $team }
transferTeamGone = This customer no longer has a CR team.
transferNotAgent = { $agent } is not an agent of { $team } any more.
transferAlreadyOwns = { $agent } already owns this customer.
transferDone = 🔁 { $name } now belongs to { $agent } (transferred by { $by }).
ownerNotice = 👤 Owner: { $hasFrom ->
        [yes] { $from } →{" "}
       *[no] {""}
    }{ $hasTo ->
        [yes] { $to }
       *[no] nobody (waiting in the queue)
    }{ $hasBy ->
        [yes] {" "}(by { $by }{ $hasNote ->
            [yes] : { $note }
           *[no] {""}
        })
       *[no] { $hasNote ->
            [yes] {" "}({ $note })
           *[no] {""}
        }
    }
presenceLabel = { $status ->
        [online] 🟢 online
        [away] 🟡 away
       *[offline] ⚪ offline
    }{ $active ->
        [yes] {" "}(active)
       *[no] {""}
    }
presenceDeclared = { $label }: { $name }, you are { $status } (in every brand you work for).
whoTeam = 👥 { $team }
whoAgentLine = { $presence } { $agent } · { $open } open
whoEmptyTeam = nobody in this team yet
mineNone = You have no open customers in { $project }.
mineTitle = 📋 Your open customers in { $project } ({ $count }{ $more ->
        [yes] +
       *[no] {""}
    }):
mineLine = • { $name } — { $topic }
mineNoTopic = no topic
mineMore = Only the first { $limit } are listed.
queueEmpty = Nobody is waiting for an owner. 🎉
queueTitle = Waiting for an owner (oldest first):
queueLine = { $place }. { $name } · { $team } · waiting { $waited }{ $room ->
        [no] {" "}· no agent has room
       *[yes] {""}
    }
waitedUnderAMinute = under a minute
waitedMinutes = { $minutes } min
waitedHours = { $hours } h { $minutes } min
waitedDays = { $days } d { $hours } h
queueNotHere = This customer is not in this project’s queue.
queueHasOwner = { $name } already has an owner: { $owner }.
queueNoLongerWaiting = { $name } is no longer waiting.
queueNotTeamAgent = { $agent } is not an agent of { $name }’s team.
queueAgentFull = { $agent } already has the most open customers allowed.
queueAssigned = { $name } → { $agent }.

## Permissions: what staff are told when they may not (one per StaffAction: refusal_<action>)
refusal_assign_customer = Only CS leads can assign customers.
refusal_reassign_customer = Only CS leads can move customers between CR teams.
refusal_open_treatment = Only CS or CR staff can open a Treatment topic.
refusal_ban_client = Only CS leads can ban a client.
refusal_unban_client = Only CS leads can unban a client.
refusal_delete_any_message = You can delete only your own messages (CS leads can delete any).
refusal_see_failed = Only CS leads can see failed deliveries.
refusal_retry_delivery = Only CS leads can retry deliveries.
refusal_retry_update = Only CS leads can retry failed updates.
refusal_tag_customer = Only staff can tag customers.
refusal_note_customer = Only staff can add notes.
refusal_find_customers = Only CS staff can search customers.
refusal_manage_canned = Only CS leads can change canned replies.
refusal_see_canned = Only staff can see canned replies.
refusal_send_canned = Only staff can send canned replies.
refusal_see_queue = Only CS leads can see the queue.
refusal_assign_owner = Only CS leads can give a waiting customer an owner.
refusal_resolve_conversation = Only the customer's owner or a CS lead can resolve the conversation.
refusal_transfer_customer = Only the customer's owner or a CS lead can transfer this customer.
refusal_set_presence = Only this project's staff can set a status here.
refusal_see_presence = Only this project's staff can see who is on.
refusal_see_audit = Only CS leads can see the audit trail.
refusal_see_stats = Only CS leads can see the statistics.
refusal_manage_links = Only CS leads can manage links.
refusal_broadcast = Only CS leads can send broadcasts.
refusal_manage_risk_phrases = Only CS leads can change risk phrases.
refusal_see_risk_phrases = Only staff can see risk phrases.
refusalGroup = Only { $group } staff can work in this group.
refusalRetiredTopic = This topic is closed and no longer speaks for the customer; use the customer's current topic.

## CRM: canned replies, notes, tags, /find
cannedAddUsage = Usage: /canned add <name> <text>, with a name of letters a-z, digits, _ and -.
cannedTooLong = A canned reply can be at most { $max } characters long.
cannedSaved = 💬 Canned reply "{ $name }" saved. Send it in a customer's topic with /c { $name }
cannedRemoved = 💬 Canned reply "{ $name }" removed.
cannedUnknown = There is no canned reply "{ $name }".
cannedUnknownSeeList = There is no canned reply "{ $name }". See /canned list.
cannedNone = 💬 No canned replies yet. CS leads add them with /canned add <name> <text>
cannedTitle = 💬 Canned replies (send with /c <name>):
cannedLine = • { $name }: { $preview }
cannedWhich = Which canned reply? Usage: /c <name> (see /canned list).
notDeliveredRetired = ⚠️ Not delivered: this topic is closed and no longer reaches the client.
notDeliveredBlocked = ⚠️ Not delivered: the client blocked the bot.
cannotWriteToCustomer = This customer cannot be written to.
noteEmpty = Write the note after the command, for example: /note prefers email
noteTooLong = A note can be at most { $max } characters long.
noteAdded = 📝 Note added to the profile.
notesNone = 📝 No notes yet. Add one with /note <text>
notesTitle = 📝 Notes (newest first):
tagsWhich = Which tags? For example: /tag vip refund
tagsBad = Tags may use only letters a-z, digits, _ and - (not { $bad }).
tagsList = 🏷 Tags: { $tags }
tagsNone = 🏷 No tags. Add some with /tag vip refund
findNone = 🔎 No customer matches { $query }.
findTitle = 🔎 { $count } { $count ->
        [one] customer
       *[other] customers
    } matching { $query }:
findLine = • { $who } — { $topic }
findNoTopic = no CS topic
findMore = Only the first { $limit } are listed; narrow the search.
findWhom = Find whom? For example: /find tag:vip, or /find an email, account id or name.
findBadTag = Tags use only letters a-z, digits, _ and -, for example: /find tag:vip

## Buttons
buttonNotThisMessage = This button does not belong to this message.
reassignMenuButton = 🔀 Reassign CR
reassignNowButton = Now
reassignTonightButton = Tonight ({ $hour }:00 UTC)
reassignCancelButton = ✖ Cancel this move
treatmentOpenButton = Open Treatment topic
treatmentCancelButton = Cancel

## Treatment
treatmentCancelled = Treatment topic not opened (cancelled by { $by }).
treatmentCancelledAnswer = Cancelled.
treatmentNoGroup = This project has no Treatment group configured.
treatmentAlreadyOpen = This customer already has an open Treatment topic.
treatmentOpenedNotice = 🩺 Treatment opened by { $by }.
treatmentOpenedPrompt = ✅ Treatment topic opened by { $by }{ $replayed ->
        [0] {""}
       *[other] {" "}with the last { $replayed } messages
    }.
treatmentOpenedAnswer = Treatment topic opened.
staffLower = staff
staffCapital = Staff
treatmentNoneOpen = This customer has no open Treatment topic.
treatmentAlreadyClosed = This Treatment topic is already closed.
treatmentClosedHere = 🩺 Treatment closed by { $by }. Messages here no longer reach the client.
treatmentClosedCs = 🩺 Treatment topic closed by { $by }.
contextClientLabel = ↩ { $name } · { $time }
contextStaffLabel = ↩ { $name } · { $label } · { $time }

## Reassignment
utcStamp = { $stamp } UTC
dueNow = now
moveNotActive = This customer is not active, so they cannot be moved.
moveAlreadyThere = The customer is already with { $team }.
moveAlreadyPlanned = A move of this customer is already planned; cancel it first.
moveFailedTeamGone = CR team "{ $team }" no longer exists in the configuration
moveFailedNotActive = the customer is not active
moveFailedAlreadyThere = the customer is already with { $team }
moveFailedNoAccount = the customer has no account record
theAccountRecords = the account records
movedHere = 🔀 Moved here from { $from } by { $who }. The conversation so far follows ({ $count } messages).
endOfHistory = — End of history. New messages follow. —
movedAway = ➡️ Moved to { $team } by { $who }. This topic is { $oldTopic ->
        [delete] deleted
       *[close] closed
    }; the conversation continues there.
movedCs = 🔀 { $name } moved from { $from } to { $team } by { $who }.
replayStaffLabel = ↩ { $name } · { $label } · { $time }{ $note ->
        [yes] {" "}(internal note)
       *[no] {""}
    }

## Unanswered reminders (sla)
ownerCapital = Owner
slaMinutes = { $minutes } min{ $businessHours ->
        [yes] {" "}of business hours
       *[no] {""}
    }
slaEscalation = 🚨 { $name }{ $hasTeam ->
        [yes] {" "}({ $team })
       *[no] {""}
    } has waited { $waited } for an answer ({ $hasOwner ->
        [yes] owner: { $owner }
       *[no] no owner
    }).
slaReminderNoOwner = ⏰ This message has waited { $waited } for an answer; { $name } has no owner yet.
slaReminder = ⏰ { $owner }, this message has waited { $waited } for an answer.

## Topics
topicReopened = { $days ->
        [0] ↩ Reopened: new message from the client
        [one] ↩ Reopened after { $days } day: new message from the client
       *[other] ↩ Reopened after { $days } days: new message from the client
    }
topicRecoveredReopened = ♻️ This topic had been closed; it was reopened so the conversation can go on.
topicRecoveredRecreated = ♻️ The previous topic of this customer was deleted or archived; this one replaces it. Earlier messages are in the old topic, if it still exists.
topicIdleClosed = 💤 Closed after { $days } days without messages. A new message from the client reopens it.

## Membership and alarms (to the CS leads, in the Onboarding topic)
memberName = { $name } ({ $hasUsername ->
        [yes] @{ $username },{" "}
       *[no] {""}
    }id { $id })
memberRemovedOnJoin = 🚫 { $who } joined { $group } but is not an authorised agent of this project, so they were removed. To let them in, add them to the agents (or allowedMembers) in the config, /reload, and invite them again.
sweepTitle = 🚫 Membership check: these people are in a staff group but are not authorised agents of this project.
sweepRemoved = Removed:
sweepRemovedLine = • { $who } from { $group }
sweepKept = Not removed, please do it by hand:
sweepKeptLine = • { $who } in { $group } ({ $why ->
        [administrator] an administrator
       *[no_right] the bot lacks the Ban users right
    })
sweepHowToKeep = To keep someone, add them to the agents (or allowedMembers) in the config and reload it (SIGHUP, or /reload by an operator).
botById = bot { $id }
botAlarm = ⚠️ Bot alarm: { $name } ({ $path }) cannot receive updates: { $reason }. Messages to it wait at Telegram until it is fixed. To fix: { $remedy }. (At most one alarm per bot per hour.)
backlogAlarm = ⏳ Backlog alarm: "{ $group }" has about { $minutes } min of messages waiting (Telegram lets each bot post 20 messages a minute into a group). Consecutive texts for one topic are combined into one message meanwhile. Add bots to the pool in projects[].bots.{ $role } of "{ $project }" ({ $bots } now). (At most one alarm per group per hour.)
deliveryAlarm = 🚨 Delivery alarm: { $who } cannot post in "{ $group }" ({ $error }). Check that it is still an admin there with the right permissions. (At most one alarm per group per hour.)

## /history (the assignment log)
historyLine = { $when } · { $action } · by { $who } ({ $reason }){ $hasNote ->
        [yes] : { $note }
       *[no] {""}
    }
historyOwnerChange = owner{ $hasFrom ->
        [yes] {" "}{ $from }
       *[no] {""}
    } → { $hasTo ->
        [yes] { $to }
       *[no] queue
    }
historyQueued = queued for an owner
historyAction = { $action ->
        [onboarded] onboarded
        [rejected] rejected
        [reassigned] reassigned
        [treatment_opened] treatment opened
        [treatment_closed] treatment closed
        [banned] banned
        [unbanned] unbanned
        [reopened] reopened
       *[other] { $action }
    }
historyResolved = resolved
historyResolvedRated = resolved, rated { $rating }/5
historyMove = {" "}{ $from } → { $to }
historyByClient = the client
historyBySystem = system

## Relay: bans, blocks, floods, /delete, the admin API
bannedReply = Your messages are no longer passed on to our team. If you think this is a mistake, please contact us through the usual channels.
slowDownReply = You are writing faster than we can pass your messages on. Please slow down a little: messages sent too quickly are saved but not shown to the team.
apiNotAssigned = This customer is not assigned yet, so staff cannot write to them.
apiNoGroup = { $name } works in none of this customer's groups
banAlready = { $name } is already banned.
banNot = { $name } is not banned.
banDone = 🚫 { $name } is banned: their messages are stored but no longer relayed. /unban lifts it.
unbanDone = ✅ { $name } is no longer banned: their messages are relayed again.
clientBlockedBot = ⛔ The client blocked the bot. Messages can no longer be delivered until they unblock it.
clientUnblockedBot = ✅ The client unblocked the bot. Messages are delivered again.
floodWindow = { $window ->
        [minute] minute
        [minutes] { $minutes } minutes
       *[seconds] { $seconds } seconds
    }
floodNotice = ⚠️ { $count } more message(s) from this client in the last { $window } were not relayed (limit: { $max } per { $window }). They are stored; the client was asked to slow down.
deleteHowTo = Reply /delete to the message you want to delete.
deleteNotRelayed = That message was not relayed, so there is nothing to delete.
deleteClientMessage = Client messages can't be deleted from their chat: only the client can do that.
deleteTooOld = This message is older than 48 hours: Telegram no longer lets bots delete it.
mirrorHeader = { $attribution } → client
mirrorHeaderNotDelivered = { $attribution } (not delivered)
notDeliveredNeverStarted = ⚠️ Not delivered: the client has not started a chat with { $hasBot ->
        [yes] @{ $bot }
       *[no] the client bot
    }, so bots cannot write to them. Ask them to open it and press Start.

## /audit and /stats (and npm run stats)
auditUsage = Use /audit or /audit <days> (1 to 365).
auditEmpty = No audited changes in the last { $days } day(s).
auditTitle = 🧾 Audit, last { $days } day(s): { $total } change(s)
auditByKind = By kind: { $kinds }
auditByAgent = By agent: { $agents }
auditCount = { $name } { $count }
auditKind = { $kind ->
        [assignment] assignments
        [transfer] transfers
        [ban] bans
        [unban] unbans
        [delete] deletes
        [api_write] API writes
        [risk_hit] risk-phrase hits
        [risk_phrase_change] risk-phrase changes
        [broadcast] broadcasts
       *[other] { $kind }
    }
statsUsage = Use /stats or /stats <days> (1 to 365).
statsTitle = 📊 Stats, { $period } ({ $from } – { $to } UTC)
statsLastDays = last { $days } day(s)
statsNewCustomers = New customers: { $count }{ $hasSources ->
        [yes] {" "}({ $sources })
       *[no] {""}
    }
statsMessages = Messages: { $client } from clients, { $staff } from staff
statsMeasure = { $kind ->
        [firstResponse] First response
        [response] Response
       *[resolution] Resolution
    }
statsSpread = { $label }: p50 { $p50 } · p90 { $p90 } ({ $count })
statsCsat = CSAT: { $average }/5 from { $ratings } rating(s), { $percent }% rated 4 or 5
statsNoRatings = CSAT: no ratings
statsUnanswered = Unanswered customers: { $count }
statsTransfers = Transfers: { $transfers } · risk-phrase hits: { $riskHits }
statsByAgent = By agent:
statsByDay = By day:
statsAgentLine = { $name }: { $messages } msg · first response p50 { $firstP50 } · response p50 { $p50 }, p90 { $p90 } ({ $responses })
statsDayLine = { $day }: { $newCustomers } new · { $client }/{ $staff } msg · response p50 { $p50 } · { $resolved } resolved · { $rated } rated
statsNone = —
statsTruncated = … (the rest: npm run stats)
durationSeconds = { $seconds }s
durationMinutes = { $minutes }m { $seconds }s
durationHours = { $hours }h { $minutes }m

## Operators (deployment-wide, in the built-in texts)
reloadProjectGone = project { $projects } is no longer in the config; projects change only with a restart

## The accounts CSV import (npm run accounts:import)
csvInvalid = not valid CSV: { $error }
csvEmpty = the file is empty; expected the header { $columns }
csvFieldCount = expected { $expected } fields, found { $found }
csvMissing = { $column } is missing
csvBadEmail = email "{ $email }" is not a valid address
csvDuplicateEmail = email { $email } is already on line { $line }
csvTooLong = { $column } is longer than { $max } characters
csvBadTreatment = treatment must be true/false, yes/no, 1/0 or empty, not "{ $value }"
csvNoColumn = the header has no "{ $column }" column
csvUnknownColumn = unknown column "{ $column }"; expected { $columns }
csvColumnTwice = column "{ $column }" appears twice

## Names when there is none (a forgotten customer)
customerWithoutName = Customer
forgottenTopicName = Customer { $id }

## Diversion links (/link, /links, the cards' origin lines)
linkUsage = Usage: /link new <name> (a name of up to 128 characters), or /link disable <code>.
linkNoPublicUrl = Links need the public address of this service: set links.publicUrl in the config.
linkCreated = 🔗 Link "{ $name }" created: { $url }
    Every click is counted in /links.
linkDisabled = 🔗 Link { $code } is disabled: it now answers "not found".
linkUnknownCode = There is no link { $code } in this project.
linkBadParam = "{ $text }" is not a parameter: write it as key=value (a key of letters, digits, _ or -).
linkNone = 🔗 No links yet. CS leads make one with /link new <name>
linkStatsTitle = 🔗 Links, last { $days } day(s) (UTC):
linkStatsLine = • { $name } ({ $code }{ $enabled ->
        [no] , disabled
       *[yes] {""}
    }): { $clicks } click(s), { $visitors } unique visitor(s), { $starts } start(s), { $onboarded } onboarded, conversion { $conversion }
linkStatsDay = {"   "}{ $day }: { $clicks } click(s), { $visitors } visitor(s), { $starts } start(s), { $onboarded } onboarded
linkSourceLine = Source: { $source }
cardStartPayload = Start payload: { $payload }
linkLatest = { $first } (latest: { $last })

## Automatic answers (auto-replies, flows): the client reads the button and the toasts, staff the rest (the answers themselves are the config's)
autoTalkToPerson = Talk to a person
autoPressTaken = ✓
autoHandoffMessage = 🙋 Talk to a person
autoAnsweredHeader = 🤖 auto-answered
autoBotAnswer = 🤖 { $text }
autoBotButton = [{ $label }]
autoPressed = { $name } pressed «{ $button }»
profileAnswers = Answers: { $answers }

## Broadcasts (/broadcast, its confirmation and progress, npm run broadcast)
broadcastNotAReply = Reply to the message you want to send with /broadcast [segment] (all, tag:<tag>, team:<team>, link:<code>, lang:<code>).
broadcastNotInOnboarding = Please use /broadcast in the Onboarding topic, as a reply to the message to send.
broadcastNothingToSend = That message has nothing a client can be sent (a service message?). Please reply to a text or media message.
broadcastBadSegment = "{ $typed }" is not a segment I know. Use all, tag:<tag>, team:<cr team>, link:<code> or lang:<language code>.
broadcastUnknownTeam = There is no CR team "{ $team }" in this project.
broadcastNoRecipients = No client matches { $segment } (blocked and banned clients are left out). Nothing was sent.
broadcastConfirm = 📣 Broadcast the message above to { $segment }: { NUMBER($recipients, useGrouping: "always") } { $recipients ->
        [one] client
       *[other] clients
    } (blocked and banned clients are left out). Send it?
broadcastConfirmButton = ✅ Send to { NUMBER($recipients, useGrouping: "always") }
broadcastCancelButton = ✖️ Cancel
broadcastProgress = 📣 Broadcast to { $segment }: { NUMBER($sent, useGrouping: "always") } / { NUMBER($total, useGrouping: "always") } sent, { NUMBER($blocked, useGrouping: "always") } blocked{ $failed ->
        [0] {""}
       *[other] , { NUMBER($failed, useGrouping: "always") } failed
    }. { $state ->
        [sending] Sending…
        [done] Done.
       *[cancelled] Cancelled: { NUMBER($cancelled, useGrouping: "always") } not sent.
    }
broadcastCancelledBeforeStart = 📣 Broadcast cancelled: nothing was sent.
broadcastStarted = Sending to { NUMBER($recipients, useGrouping: "always") }.
broadcastAlreadyDecided = This broadcast was already started or cancelled.
broadcastCancelling = Cancelled: nothing more goes out.
broadcastNotFound = This broadcast no longer exists.
## Risk phrases (/risk and the prompts)
riskBlocked = ⛔ Not sent: your message contains the risk phrase "{ $phrase }", which may not be sent to clients.
riskPrompt = ⚠️ Your message contains the risk phrase "{ $phrase }". Send it to the client anyway?
riskSendAnyway = Send anyway
riskCancel = Cancel
riskSent = ✅ Sent anyway (risk phrase "{ $phrase }").
riskCancelled = ✖️ Not sent: cancelled (risk phrase "{ $phrase }").
riskExpired = ⌛ Not sent: nobody confirmed it in time (risk phrase "{ $phrase }").
riskNotYours = Only the author of the message can answer this.
riskAlreadyAnswered = This was already answered.
riskPressSent = Sent.
riskPressCancelled = Cancelled: the message was not sent.
riskPressExpired = This has expired: the message was not sent.
riskUsage = Usage: /risk list, /risk add <name> <confirm|block> <pattern>, /risk remove <name>.
riskBadName = A risk phrase name is 1-32 letters a-z, digits, _ and -.
riskBadPattern = That pattern cannot be used: { $problem }.
riskAdded = 🛡 Risk phrase "{ $name }" ({ $mode }) now also matches: { $pattern }
riskRemoved = 🛡 Risk phrase "{ $name }" removed.
riskUnknown = There is no risk phrase "{ $name }".
riskNone = 🛡 No risk phrases yet. CS leads add them with /risk add <name> <confirm|block> <pattern>
riskListTitle = 🛡 Risk phrases (checked in every staff message to a client):
riskListLine = • { $name } ({ $mode }): { $patterns }

## Translation (projects[].translation, /tr): staff read these in the topics
translationLine = 🌐 { $text }
translationSentLine = 🌐 sent: { $text }
translationUntranslated = 🌐 untranslated: the translation failed.
translationSentUntranslated = 🌐 sent untranslated: the translation failed or took too long.
trNotConfigured = Translation is not set up for this project.
trUsage = Usage: /tr off (no translation for this customer) or /tr on.
trTurnedOff = 🌐 Translation is off for { $name }: messages go both ways as written. /tr on turns it back on.
trTurnedOn = 🌐 Translation is on for { $name }.
trAlreadyOff = Translation is already off for { $name }.
trAlreadyOn = Translation is already on for { $name }.

## The assistant's provider (h/provider)
assistantAlarm = 🤖 Assistant alarm: the assistant's provider of "{ $project }" is failing ({ $reason }). Suggestions and answers are skipped meanwhile; every message is still relayed. Check assistant.baseUrl and the provider's status. (At most one alarm per project per hour.)
assistantReasonTimeout = it did not answer in time
assistantReasonRateLimited = it keeps refusing with "too many requests"
assistantReasonFailed = it answers with errors

## Knowledge base (/kb; issue 19, h/kb)
refusal_manage_knowledge = Only CS leads can change the knowledge base.
kbUsage = Usage: /kb add (as a reply to a staff answer in a customer's topic), /kb list, /kb remove <id>.
kbAddHowTo = Reply with /kb add to a staff answer in a customer's topic: the client's question and that answer are added to the knowledge base.
kbAddNotAnswer = /kb add works on a staff answer to the client with text (not a client message or a note).
kbAddNotRelayed = This answer never reached the client (a risk phrase held or blocked it), so it cannot be added to the knowledge base.
kbAddNoQuestion = There is no client question before this answer to add with it.
kbAdded = 📚 Added to the knowledge base as #{ $id }: "{ $question }"
kbAlreadyAdded = 📚 This answer is already in the knowledge base as #{ $id }.
kbListNone = 📚 No approved answers yet. CS leads add them with /kb add as a reply to a staff answer.
kbListTitle = 📚 Approved answers in the knowledge base (remove with /kb remove <id>):
kbListLine = • #{ $id } (customer { $customerId }): { $question }
kbRemoved = 📚 #{ $id } removed from the knowledge base.
kbUnknown = There is no approved answer #{ $id }.

## Suggest mode and /ask (issue 19, h/suggest)
suggestionTitle = 🤖 Suggested reply (sent only if you press Send):
suggestionClosedTitle = 🤖 Suggested reply
suggestionSources = 📚 Sources: { $sources }
suggestionSend = ✅ Send
suggestionEdit = ✏️ Edit
suggestionDismiss = ✖️ Dismiss
suggestionSentBy = ✅ Sent by { $name }.
suggestionEditingBy = ✏️ { $name } is writing their own version.
suggestionDismissedBy = ✖️ Dismissed by { $name }.
suggestionIgnored = ⏭ Not used: the conversation went on.
suggestionEdited = ✏️ Answered with an edited version.
suggestionGone = This suggestion was already dealt with.
suggestionSentPress = Sent to the client.
suggestionEditPress = Reply to the bot's message with your version.
suggestionDismissedPress = Dismissed.
suggestionEditPrompt = ✏️ { $name }, reply to this message with your version of the suggestion; your reply is sent to the client as typed. The suggestion was:
    { $text }
suggestionEditPlaceholder = Your reply to the client
askUsage = Usage: /ask <question> in a customer's topic. The assistant answers here, for staff only.
askNoAssistant = This project has no assistant.
askThinking = 🤖 Thinking…
askAnswerTitle = 🤖 For staff only (not sent to the client):
askUnavailable = 🤖 The assistant could not answer just now. Please try again later.
statsSuggestions = 🤖 Suggestions: { $accepted } of { $shown } used ({ $rate }): { $sent } sent as is, { $edited } edited, { $dismissed } dismissed, { $ignored } ignored.

## Answer mode, /summary (issue 19, h/answer)
assistantAnswerSources = 📚 Sources: { $sources }
assistantAnswerRiskBlocked = 🤖 The assistant's answer was not sent: it contains the risk phrase "{ $phrase }".
assistantAnswerNoSources = 📚 No source: retrieval was not confident (answered as assistant.answer.when allows).
assistantHandover = 🙋 { $owner }, the client asked for a person after the assistant's answer. The assistant stays quiet in this conversation until it is resolved.
assistantHandoverNoOwner = 🙋 The client asked for a person after the assistant's answer. The assistant stays quiet in this conversation until it is resolved.
summaryQueued = 📝 Writing a summary of this conversation…
summaryNoAssistant = There is no assistant for this project, so no summary.
summaryPosted = 📝 Summary of the conversation (by the assistant): { $text }
summaryFailed = 📝 The assistant could not write a summary just now. Please try again later.
statsHandover = 🤖 Automatic answers: { $answers }, handed over to a person: { $handedOver } ({ $rate })
`
