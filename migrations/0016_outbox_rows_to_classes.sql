-- The role-named lanes become priority classes (src/db/schema/delivery.ts): the relay both ways
-- (client_to_staff, staff_to_client, treatment) is `live`, the home group's prompts and cards
-- (cs_prompts) `prompt`, a reassignment's replay (cr_reassignment) `replay`. Rows not yet sent, and
-- dead ones (a retried dead letter is claimed by its class), are rewritten; sent rows keep the old
-- name (history, read only by the metrics, which name it by its class).
UPDATE `outbox`
SET `class` = CASE `class` WHEN 'cs_prompts' THEN 'prompt' WHEN 'cr_reassignment' THEN 'replay' ELSE 'live' END
WHERE `state` IN ('pending', 'sending', 'dead') AND `class` NOT IN ('live', 'prompt', 'replay', 'bulk');
