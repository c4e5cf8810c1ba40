CREATE TABLE `audit_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`kind` varchar(24) NOT NULL,
	`actor_user_id` bigint,
	`api_key_id` bigint unsigned,
	`customer_id` bigint unsigned,
	`details` text NOT NULL,
	`text` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `audit_events_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `audit_events_project_time_idx` ON `audit_events` (`project_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_customer_idx` ON `audit_events` (`customer_id`);