CREATE TABLE `assignment_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`action` varchar(24) NOT NULL,
	`from_team` varchar(64),
	`to_team` varchar(64),
	`actor_user_id` bigint,
	`reason` varchar(64) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `assignment_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `reassignments` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`from_team` varchar(64) NOT NULL,
	`to_team` varchar(64) NOT NULL,
	`requested_by` bigint,
	`source` varchar(16) NOT NULL,
	`due_at` datetime(3) NOT NULL,
	`state` varchar(16) NOT NULL DEFAULT 'scheduled',
	`old_topic_id` bigint unsigned,
	`new_topic_id` bigint unsigned,
	`replayed_up_to` bigint unsigned,
	`open_slot` int unsigned DEFAULT 1,
	`error` varchar(1000),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `reassignments_id` PRIMARY KEY(`id`),
	CONSTRAINT `reassignments_open_uq` UNIQUE(`customer_id`,`open_slot`)
);
--> statement-breakpoint
CREATE INDEX `assignment_log_customer_idx` ON `assignment_log` (`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `reassignments_due_idx` ON `reassignments` (`state`,`due_at`);