DROP INDEX `updates_state_idx` ON `updates`;--> statement-breakpoint
ALTER TABLE `updates` ADD `attempts` int unsigned DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `updates_state_idx` ON `updates` (`state`,`bot_id`,`update_id`);