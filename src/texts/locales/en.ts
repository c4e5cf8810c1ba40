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
cardStartPayload = Start payload: { $payload }
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
profileName = 👤 { $name }{ $hasUsername ->
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
`
