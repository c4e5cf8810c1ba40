CREATE TABLE `customer_answers` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`answer_key` varchar(32) NOT NULL,
	`value` varchar(1000) NOT NULL,
	`answered_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `customer_answers_id` PRIMARY KEY(`id`),
	CONSTRAINT `customer_answers_customer_key_uq` UNIQUE(`customer_id`,`answer_key`)
);
--> statement-breakpoint
CREATE TABLE `flow_positions` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`flow` varchar(16) NOT NULL,
	`step` varchar(16) NOT NULL,
	`reached_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `flow_positions_id` PRIMARY KEY(`id`),
	CONSTRAINT `flow_positions_customer_uq` UNIQUE(`customer_id`)
);
--> statement-breakpoint
CREATE INDEX `customer_answers_project_key_idx` ON `customer_answers` (`project_id`,`answer_key`);