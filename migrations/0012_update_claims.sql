ALTER TABLE `updates` ADD `order_key` varchar(64);--> statement-breakpoint
ALTER TABLE `updates` ADD `claim_token` varchar(24);--> statement-breakpoint
ALTER TABLE `updates` ADD `claimed_until` datetime(3);--> statement-breakpoint
CREATE INDEX `updates_order_idx` ON `updates` (`bot_id`,`order_key`,`state`,`update_id`);