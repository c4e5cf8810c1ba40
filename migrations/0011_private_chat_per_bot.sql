-- A private chat is one chat per bot: rows not yet sent for "chat:<user id>" (a person) become
-- "chat:<user id>:bot:<bot id>" (src/delivery/destination.ts), so one brand's client bot waiting
-- out a retry no longer holds up another brand's bot writing to the same person. Dead rows too,
-- so a retried dead letter queues behind its own bot's chat. Sent rows keep the old form (history).
UPDATE `outbox`
SET `destination` = CONCAT(SUBSTRING_INDEX(`destination`, ':', 2), ':bot:', `bot_id`, IF(`destination` LIKE '%:aside', ':aside', ''))
WHERE `state` IN ('pending', 'sending', 'dead') AND `destination` REGEXP '^chat:[0-9]+(:aside)?$';
