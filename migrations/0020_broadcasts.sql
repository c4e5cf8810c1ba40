CREATE TABLE `broadcasts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`author_user_id` bigint,
	`segment` varchar(160) NOT NULL,
	`source` longtext NOT NULL,
	`source_bot_id` bigint NOT NULL,
	`state` varchar(12) NOT NULL DEFAULT 'confirming',
	`total` int unsigned NOT NULL DEFAULT 0,
	`sent` int unsigned NOT NULL DEFAULT 0,
	`blocked` int unsigned NOT NULL DEFAULT 0,
	`failed` int unsigned NOT NULL DEFAULT 0,
	`cancelled` int unsigned NOT NULL DEFAULT 0,
	`paid` boolean NOT NULL DEFAULT false,
	`confirm_chat_id` bigint,
	`confirm_message_id` bigint,
	`confirm_bot_id` bigint,
	`progress_edited_at` datetime(3),
	`finished_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `broadcasts_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `broadcast_id` bigint unsigned;--> statement-breakpoint
CREATE INDEX `broadcasts_state_idx` ON `broadcasts` (`state`,`id`);--> statement-breakpoint
CREATE INDEX `broadcasts_project_idx` ON `broadcasts` (`project_id`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_broadcast_idx` ON `outbox` (`broadcast_id`,`state`);