CREATE TABLE `assistant_suggestions` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`message_id` bigint unsigned NOT NULL,
	`topic_id` bigint unsigned NOT NULL,
	`receiver_user_id` bigint,
	`text` text NOT NULL,
	`sources` text NOT NULL,
	`state` varchar(12) NOT NULL DEFAULT 'shown',
	`decided_by` bigint,
	`decided_at` datetime(3),
	`ephemeral_outbox_id` bigint unsigned,
	`fallback_outbox_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `assistant_suggestions_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `assistant_suggestions_customer_idx` ON `assistant_suggestions` (`project_id`,`customer_id`,`state`);--> statement-breakpoint
CREATE INDEX `assistant_suggestions_stats_idx` ON `assistant_suggestions` (`project_id`,`created_at`);