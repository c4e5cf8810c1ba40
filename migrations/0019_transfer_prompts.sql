CREATE TABLE `transfer_prompts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`note` varchar(255) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `transfer_prompts_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `transfer_prompts_customer_idx` ON `transfer_prompts` (`customer_id`);