CREATE TABLE `assistant_answers` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`message_row_id` bigint unsigned NOT NULL,
	`text` text NOT NULL,
	`sources` text NOT NULL,
	`confident` boolean NOT NULL,
	`handed_over_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `assistant_answers_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `assistant_handovers` (
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`since` datetime(3) NOT NULL,
	`reason` varchar(16) NOT NULL DEFAULT 'person',
	CONSTRAINT `assistant_handovers_project_id_customer_id_pk` PRIMARY KEY(`project_id`,`customer_id`)
);
--> statement-breakpoint
CREATE INDEX `assistant_answers_customer_idx` ON `assistant_answers` (`project_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `assistant_answers_created_idx` ON `assistant_answers` (`project_id`,`created_at`);