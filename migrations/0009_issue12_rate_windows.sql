CREATE TABLE `rate_windows` (
	`bot_id` bigint NOT NULL,
	`windows` longtext NOT NULL,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `rate_windows_bot_id` PRIMARY KEY(`bot_id`)
);
