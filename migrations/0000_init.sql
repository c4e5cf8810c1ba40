CREATE TABLE `projects` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`key` varchar(64) NOT NULL,
	`name` varchar(255) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `projects_id` PRIMARY KEY(`id`),
	CONSTRAINT `projects_key_uq` UNIQUE(`key`)
);
--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`email` varchar(254) NOT NULL,
	`display_name` varchar(255) NOT NULL,
	`external_id` varchar(128) NOT NULL,
	`cr_team_hint` varchar(64),
	`treatment` boolean NOT NULL DEFAULT false,
	`status` varchar(16) NOT NULL DEFAULT 'active',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `accounts_id` PRIMARY KEY(`id`),
	CONSTRAINT `accounts_project_email_uq` UNIQUE(`project_id`,`email`)
);
--> statement-breakpoint
CREATE TABLE `assignments` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`state` varchar(16) NOT NULL DEFAULT 'pending',
	`treatment_toggle` boolean NOT NULL DEFAULT false,
	`card_chat_id` bigint,
	`card_message_id` bigint,
	`cr_team` varchar(64),
	`decided_by` bigint,
	`decided_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `assignments_id` PRIMARY KEY(`id`),
	CONSTRAINT `assignments_customer_uq` UNIQUE(`customer_id`)
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`telegram_user_id` bigint NOT NULL,
	`client_bot_id` bigint NOT NULL,
	`account_id` bigint unsigned,
	`state` varchar(24) NOT NULL DEFAULT 'awaiting_email',
	`first_name` varchar(255) NOT NULL DEFAULT '',
	`last_name` varchar(255),
	`username` varchar(64),
	`start_payload` varchar(128),
	`cr_team` varchar(64),
	`treatment` boolean NOT NULL DEFAULT false,
	`blocked` boolean NOT NULL DEFAULT false,
	`email_failures` int unsigned NOT NULL DEFAULT 0,
	`first_failure_at` datetime(3),
	`cooldown_until` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `customers_id` PRIMARY KEY(`id`),
	CONSTRAINT `customers_project_user_uq` UNIQUE(`project_id`,`telegram_user_id`),
	CONSTRAINT `customers_project_account_uq` UNIQUE(`project_id`,`account_id`)
);
--> statement-breakpoint
CREATE TABLE `staff` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`telegram_user_id` bigint NOT NULL,
	`display_name` varchar(255) NOT NULL,
	`roles` varchar(255) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `staff_id` PRIMARY KEY(`id`),
	CONSTRAINT `staff_project_user_uq` UNIQUE(`project_id`,`telegram_user_id`)
);
--> statement-breakpoint
CREATE TABLE `system_topics` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`chat_id` bigint NOT NULL,
	`purpose` varchar(32) NOT NULL,
	`thread_id` bigint,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `system_topics_id` PRIMARY KEY(`id`),
	CONSTRAINT `system_topics_chat_purpose_uq` UNIQUE(`project_id`,`chat_id`,`purpose`)
);
--> statement-breakpoint
CREATE TABLE `topics` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`role` varchar(16) NOT NULL,
	`team_key` varchar(64) NOT NULL,
	`chat_id` bigint NOT NULL,
	`thread_id` bigint,
	`name` varchar(128) NOT NULL,
	`state` varchar(16) NOT NULL DEFAULT 'creating',
	`generation` int unsigned NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `topics_id` PRIMARY KEY(`id`),
	CONSTRAINT `topics_customer_role_gen_uq` UNIQUE(`customer_id`,`role`,`generation`)
);
--> statement-breakpoint
CREATE TABLE `file_cache` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`bot_id` bigint NOT NULL,
	`file_unique_id` varchar(128) NOT NULL,
	`file_id` varchar(255) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `file_cache_id` PRIMARY KEY(`id`),
	CONSTRAINT `file_cache_bot_file_uq` UNIQUE(`bot_id`,`file_unique_id`)
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`origin` varchar(8) NOT NULL,
	`bot_id` bigint NOT NULL,
	`chat_id` bigint NOT NULL,
	`thread_id` bigint,
	`message_id` bigint NOT NULL,
	`sender_user_id` bigint NOT NULL,
	`sender_role` varchar(16),
	`kind` varchar(16) NOT NULL,
	`text` longtext,
	`media_group_id` varchar(64),
	`reply_to_row_id` bigint unsigned,
	`held` boolean NOT NULL DEFAULT false,
	`internal_note` boolean NOT NULL DEFAULT false,
	`edit_count` int unsigned NOT NULL DEFAULT 0,
	`deleted` boolean NOT NULL DEFAULT false,
	`raw` longtext NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `messages_id` PRIMARY KEY(`id`),
	CONSTRAINT `messages_source_uq` UNIQUE(`bot_id`,`chat_id`,`message_id`)
);
--> statement-breakpoint
CREATE TABLE `relay_links` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`message_id` bigint unsigned NOT NULL,
	`topic_id` bigint unsigned,
	`chat_id` bigint NOT NULL,
	`thread_id` bigint,
	`copy_message_id` bigint,
	`bot_id` bigint NOT NULL,
	`kind` varchar(16) NOT NULL DEFAULT 'relay',
	`header` varchar(255),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `relay_links_id` PRIMARY KEY(`id`),
	CONSTRAINT `relay_links_message_chat_uq` UNIQUE(`message_id`,`chat_id`,`kind`)
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`actor_user_id` bigint,
	`action` varchar(48) NOT NULL,
	`customer_id` bigint unsigned,
	`details` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`lane` varchar(24) NOT NULL,
	`destination` varchar(48) NOT NULL,
	`bot_id` bigint NOT NULL,
	`job` longtext NOT NULL,
	`state` varchar(12) NOT NULL DEFAULT 'pending',
	`attempts` int unsigned NOT NULL DEFAULT 0,
	`next_attempt_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`locked_until` datetime(3),
	`depends_on` bigint unsigned,
	`last_error` text,
	`result` longtext,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `outbox_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `updates` (
	`bot_id` bigint NOT NULL,
	`update_id` bigint NOT NULL,
	`project_id` int unsigned NOT NULL,
	`payload` longtext NOT NULL,
	`state` varchar(12) NOT NULL DEFAULT 'received',
	`error` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `updates_bot_id_update_id_pk` PRIMARY KEY(`bot_id`,`update_id`)
);
--> statement-breakpoint
CREATE INDEX `customers_state_idx` ON `customers` (`project_id`,`state`);--> statement-breakpoint
CREATE INDEX `topics_chat_thread_idx` ON `topics` (`chat_id`,`thread_id`);--> statement-breakpoint
CREATE INDEX `messages_customer_idx` ON `messages` (`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `relay_links_copy_idx` ON `relay_links` (`chat_id`,`copy_message_id`,`bot_id`);--> statement-breakpoint
CREATE INDEX `audit_log_customer_idx` ON `audit_log` (`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_claim_idx` ON `outbox` (`state`,`lane`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_destination_idx` ON `outbox` (`destination`,`state`,`id`);--> statement-breakpoint
CREATE INDEX `updates_state_idx` ON `updates` (`state`);