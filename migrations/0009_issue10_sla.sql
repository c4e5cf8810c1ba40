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
CREATE INDEX `unanswered_waits_project_idx` ON `unanswered_waits` (`project_id`,`reminders_sent`,`waiting_since`);