CREATE TABLE `assistant_jobs` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned,
	`kind` varchar(48) NOT NULL,
	`payload` longtext NOT NULL,
	`state` varchar(12) NOT NULL DEFAULT 'pending',
	`attempts` int unsigned NOT NULL DEFAULT 0,
	`due_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`lease_until` datetime(3),
	`outcome` varchar(16),
	`result` longtext,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `assistant_jobs_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `assistant_token_usage` (
	`project_id` int unsigned NOT NULL,
	`day` date NOT NULL,
	`tokens` int unsigned NOT NULL DEFAULT 0,
	CONSTRAINT `assistant_token_usage_project_id_day_pk` PRIMARY KEY(`project_id`,`day`)
);
--> statement-breakpoint
CREATE INDEX `assistant_jobs_due_idx` ON `assistant_jobs` (`state`,`due_at`);--> statement-breakpoint
CREATE INDEX `assistant_jobs_project_idx` ON `assistant_jobs` (`project_id`,`state`);--> statement-breakpoint
CREATE INDEX `assistant_jobs_customer_idx` ON `assistant_jobs` (`customer_id`);