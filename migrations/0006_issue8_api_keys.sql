CREATE TABLE `api_keys` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned,
	`public_id` varchar(16) NOT NULL,
	`name` varchar(128) NOT NULL,
	`secret_hash` varchar(64) NOT NULL,
	`last_used_at` datetime(3),
	`revoked_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `api_keys_id` PRIMARY KEY(`id`),
	CONSTRAINT `api_keys_public_uq` UNIQUE(`public_id`)
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `link_conflict_alerted_at` datetime(3);--> statement-breakpoint
ALTER TABLE `customers` ADD `banned` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `ban_reply_sent` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `flood_window_until` datetime(3);--> statement-breakpoint
ALTER TABLE `messages` ADD `not_relayed` varchar(16);--> statement-breakpoint
CREATE INDEX `api_keys_project_idx` ON `api_keys` (`project_id`);