CREATE TABLE `conversation_ratings` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`resolution_id` bigint unsigned NOT NULL,
	`rating` tinyint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `conversation_ratings_id` PRIMARY KEY(`id`),
	CONSTRAINT `conversation_ratings_resolution_uq` UNIQUE(`resolution_id`)
);
--> statement-breakpoint
CREATE TABLE `unanswered_waits` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`message_row_id` bigint unsigned,
	`waiting_since` datetime(3),
	`reminders_sent` tinyint unsigned NOT NULL DEFAULT 0,
	`auto_replied_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `unanswered_waits_id` PRIMARY KEY(`id`),
	CONSTRAINT `unanswered_waits_customer_uq` UNIQUE(`customer_id`)
);
--> statement-breakpoint
CREATE TABLE `rate_windows` (
	`bot_id` bigint NOT NULL,
	`windows` longtext NOT NULL,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `rate_windows_bot_id` PRIMARY KEY(`bot_id`)
);
--> statement-breakpoint
ALTER TABLE `customers` ADD `language_code` varchar(16);--> statement-breakpoint
ALTER TABLE `outbox` ADD `claim_token` varchar(32);--> statement-breakpoint
CREATE INDEX `conversation_ratings_customer_idx` ON `conversation_ratings` (`customer_id`);--> statement-breakpoint
CREATE INDEX `unanswered_waits_project_idx` ON `unanswered_waits` (`project_id`,`reminders_sent`,`waiting_since`);