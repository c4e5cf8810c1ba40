ALTER TABLE `outbox` RENAME COLUMN `lane` TO `class`;--> statement-breakpoint
DROP INDEX `outbox_claim_idx` ON `outbox`;--> statement-breakpoint
DROP INDEX `outbox_due_idx` ON `outbox`;--> statement-breakpoint
CREATE INDEX `outbox_claim_idx` ON `outbox` (`state`,`class`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`state`,`class`,`id`);