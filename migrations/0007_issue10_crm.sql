CREATE TABLE `canned_replies` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`name` varchar(32) NOT NULL,
	`text` varchar(4000) NOT NULL,
	`created_by` bigint,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `canned_replies_id` PRIMARY KEY(`id`),
	CONSTRAINT `canned_replies_project_name_uq` UNIQUE(`project_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `customer_notes` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`author_user_id` bigint NOT NULL,
	`author_name` varchar(255) NOT NULL,
	`text` varchar(2000) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `customer_notes_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `customer_tags` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`tag` varchar(32) NOT NULL,
	`added_by` bigint,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `customer_tags_id` PRIMARY KEY(`id`),
	CONSTRAINT `customer_tags_customer_tag_uq` UNIQUE(`customer_id`,`tag`)
);
--> statement-breakpoint
CREATE TABLE `profile_cards` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`topic_id` bigint unsigned NOT NULL,
	`chat_id` bigint NOT NULL,
	`message_id` bigint NOT NULL,
	`bot_id` bigint NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `profile_cards_id` PRIMARY KEY(`id`),
	CONSTRAINT `profile_cards_topic_uq` UNIQUE(`topic_id`)
);
--> statement-breakpoint
CREATE INDEX `customer_notes_customer_idx` ON `customer_notes` (`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `customer_tags_project_tag_idx` ON `customer_tags` (`project_id`,`tag`);