CREATE TABLE `risk_phrases` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`name` varchar(32) NOT NULL,
	`mode` varchar(8) NOT NULL,
	`patterns` text NOT NULL,
	`removed` boolean NOT NULL DEFAULT false,
	`changed_by` bigint,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `risk_phrases_id` PRIMARY KEY(`id`),
	CONSTRAINT `risk_phrases_project_name_uq` UNIQUE(`project_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `risk_prompts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`hold_token` varchar(32) NOT NULL,
	`author_user_id` bigint NOT NULL,
	`phrase` varchar(32) NOT NULL,
	`text` text,
	`topic_id` bigint unsigned NOT NULL,
	`reply_to_message_id` int,
	`state` varchar(12) NOT NULL DEFAULT 'pending',
	`ephemeral_outbox_id` bigint unsigned,
	`fallback_outbox_id` bigint unsigned,
	`fallback_at` datetime(3) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `risk_prompts_id` PRIMARY KEY(`id`),
	CONSTRAINT `risk_prompts_hold_uq` UNIQUE(`hold_token`)
);
--> statement-breakpoint
CREATE INDEX `risk_prompts_state_idx` ON `risk_prompts` (`project_id`,`state`,`expires_at`);