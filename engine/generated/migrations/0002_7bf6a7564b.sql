CREATE TABLE `light` (
	`id` text PRIMARY KEY NOT NULL,
	`scene_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`position_x` real DEFAULT 0 NOT NULL,
	`position_y` real DEFAULT 0 NOT NULL,
	`bright_radius` real DEFAULT 4 NOT NULL,
	`dim_radius` real DEFAULT 8 NOT NULL,
	`color` text DEFAULT '#ffcc88' NOT NULL,
	`intensity` real DEFAULT 1 NOT NULL,
	`style` text DEFAULT 'torch' NOT NULL,
	`animation_speed` real DEFAULT 1 NOT NULL,
	`hidden` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`scene_id`) REFERENCES `scene`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "light_position_x_check" CHECK("light"."position_x" BETWEEN -100000 AND 100000),
	CONSTRAINT "light_position_y_check" CHECK("light"."position_y" BETWEEN -100000 AND 100000),
	CONSTRAINT "light_bright_radius_check" CHECK("light"."bright_radius" BETWEEN 0 AND 100),
	CONSTRAINT "light_dim_radius_check" CHECK("light"."dim_radius" BETWEEN 0 AND 200),
	CONSTRAINT "light_color_check" CHECK("light"."color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "light_intensity_check" CHECK("light"."intensity" BETWEEN 0 AND 2),
	CONSTRAINT "light_style_check" CHECK("light"."style" IN ('steady', 'torch', 'candle', 'pulse')),
	CONSTRAINT "light_animation_speed_check" CHECK("light"."animation_speed" BETWEEN 0 AND 4),
	CONSTRAINT "light_hidden_check" CHECK("light"."hidden" IN (0, 1))
);

--> statement-breakpoint
CREATE INDEX `light_scene_idx` ON `light` (`scene_id`);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;
--> statement-breakpoint
CREATE TABLE `__new_scene` (
	`id` text PRIMARY KEY NOT NULL,
	`game_session_id` text NOT NULL,
	`name` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`last_updated` integer DEFAULT 0 NOT NULL,
	`display_padding` integer DEFAULT 16 NOT NULL,
	`display_resolution_x` real DEFAULT 1920 NOT NULL,
	`display_resolution_y` real DEFAULT 1080 NOT NULL,
	`map_url` text DEFAULT '' NOT NULL,
	`map_offset_x` real DEFAULT 0 NOT NULL,
	`map_offset_y` real DEFAULT 0 NOT NULL,
	`map_zoom` real DEFAULT 1 NOT NULL,
	`map_rotation` real DEFAULT 0 NOT NULL,
	`map_opacity` real DEFAULT 1 NOT NULL,
	`grid_visible` integer DEFAULT true NOT NULL,
	`grid_type` text DEFAULT 'square' NOT NULL,
	`grid_size` real DEFAULT 64 NOT NULL,
	`grid_opacity` real DEFAULT 0.6 NOT NULL,
	`grid_color` text DEFAULT '#000000' NOT NULL,
	`grid_line_width` real DEFAULT 1 NOT NULL,
	`fog_of_war_enabled` integer DEFAULT false NOT NULL,
	`fog_of_war_gm_opacity` real DEFAULT 0.4 NOT NULL,
	`fog_of_war_player_opacity` real DEFAULT 1 NOT NULL,
	`fog_of_war_color` text DEFAULT '#111111' NOT NULL,
	`fog_of_war_edge_width` real DEFAULT 0 NOT NULL,
	`fog_of_war_noise_scale` real DEFAULT 96 NOT NULL,
	`fog_of_war_noise_speed` real DEFAULT 0 NOT NULL,
	`fog_of_war_noise_amount` real DEFAULT 0 NOT NULL,
	`fog_of_war_outline_color` text DEFAULT '#c8a060' NOT NULL,
	`fog_of_war_outline_width` real DEFAULT 0 NOT NULL,
	`lighting_darkness` real DEFAULT 0 NOT NULL,
	`lighting_gm_opacity` real DEFAULT 0.4 NOT NULL,
	`weather_fx_preset` text DEFAULT 'none' NOT NULL,
	`weather_fx_intensity` real DEFAULT 0.5 NOT NULL,
	`weather_fx_direction` real DEFAULT 100 NOT NULL,
	`weather_fx_speed` real DEFAULT 1 NOT NULL,
	`weather_fx_opacity` real DEFAULT 0.8 NOT NULL,
	`weather_fx_tint` text DEFAULT '#ffffff' NOT NULL,
	`notes_text` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`game_session_id`) REFERENCES `game_session`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "scene_display_padding_check" CHECK("__new_scene"."display_padding" BETWEEN 0 AND 500),
	CONSTRAINT "scene_display_resolution_x_check" CHECK("__new_scene"."display_resolution_x" BETWEEN 1 AND 16384),
	CONSTRAINT "scene_display_resolution_y_check" CHECK("__new_scene"."display_resolution_y" BETWEEN 1 AND 16384),
	CONSTRAINT "scene_map_url_check" CHECK(length("__new_scene"."map_url") <= 2048),
	CONSTRAINT "scene_map_offset_x_check" CHECK("__new_scene"."map_offset_x" BETWEEN -100000 AND 100000),
	CONSTRAINT "scene_map_offset_y_check" CHECK("__new_scene"."map_offset_y" BETWEEN -100000 AND 100000),
	CONSTRAINT "scene_map_zoom_check" CHECK("__new_scene"."map_zoom" BETWEEN 0.05 AND 20),
	CONSTRAINT "scene_map_rotation_check" CHECK("__new_scene"."map_rotation" BETWEEN -180 AND 180),
	CONSTRAINT "scene_map_opacity_check" CHECK("__new_scene"."map_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_grid_visible_check" CHECK("__new_scene"."grid_visible" IN (0, 1)),
	CONSTRAINT "scene_grid_type_check" CHECK("__new_scene"."grid_type" IN ('square', 'hex')),
	CONSTRAINT "scene_grid_size_check" CHECK("__new_scene"."grid_size" BETWEEN 8 AND 512),
	CONSTRAINT "scene_grid_opacity_check" CHECK("__new_scene"."grid_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_grid_color_check" CHECK("__new_scene"."grid_color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "scene_grid_line_width_check" CHECK("__new_scene"."grid_line_width" BETWEEN 0.5 AND 16),
	CONSTRAINT "scene_fog_of_war_enabled_check" CHECK("__new_scene"."fog_of_war_enabled" IN (0, 1)),
	CONSTRAINT "scene_fog_of_war_gm_opacity_check" CHECK("__new_scene"."fog_of_war_gm_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_fog_of_war_player_opacity_check" CHECK("__new_scene"."fog_of_war_player_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_fog_of_war_color_check" CHECK("__new_scene"."fog_of_war_color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "scene_fog_of_war_edge_width_check" CHECK("__new_scene"."fog_of_war_edge_width" BETWEEN 0 AND 256),
	CONSTRAINT "scene_fog_of_war_noise_scale_check" CHECK("__new_scene"."fog_of_war_noise_scale" BETWEEN 8 AND 1024),
	CONSTRAINT "scene_fog_of_war_noise_speed_check" CHECK("__new_scene"."fog_of_war_noise_speed" BETWEEN 0 AND 2),
	CONSTRAINT "scene_fog_of_war_noise_amount_check" CHECK("__new_scene"."fog_of_war_noise_amount" BETWEEN 0 AND 1),
	CONSTRAINT "scene_fog_of_war_outline_color_check" CHECK("__new_scene"."fog_of_war_outline_color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "scene_fog_of_war_outline_width_check" CHECK("__new_scene"."fog_of_war_outline_width" BETWEEN 0 AND 8),
	CONSTRAINT "scene_lighting_darkness_check" CHECK("__new_scene"."lighting_darkness" BETWEEN 0 AND 1),
	CONSTRAINT "scene_lighting_gm_opacity_check" CHECK("__new_scene"."lighting_gm_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_weather_fx_preset_check" CHECK("__new_scene"."weather_fx_preset" IN ('none', 'rain', 'snow', 'mist', 'ash', 'embers', 'leaves')),
	CONSTRAINT "scene_weather_fx_intensity_check" CHECK("__new_scene"."weather_fx_intensity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_weather_fx_direction_check" CHECK("__new_scene"."weather_fx_direction" BETWEEN 0 AND 360),
	CONSTRAINT "scene_weather_fx_speed_check" CHECK("__new_scene"."weather_fx_speed" BETWEEN 0.1 AND 4),
	CONSTRAINT "scene_weather_fx_opacity_check" CHECK("__new_scene"."weather_fx_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_weather_fx_tint_check" CHECK("__new_scene"."weather_fx_tint" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "scene_notes_text_check" CHECK(length("__new_scene"."notes_text") <= 10000)
);

--> statement-breakpoint
INSERT INTO `__new_scene`("id", "game_session_id", "name", "sort_order", "last_updated", "display_padding", "display_resolution_x", "display_resolution_y", "map_url", "map_offset_x", "map_offset_y", "map_zoom", "map_rotation", "map_opacity", "grid_visible", "grid_type", "grid_size", "grid_opacity", "grid_color", "grid_line_width", "fog_of_war_enabled", "fog_of_war_gm_opacity", "fog_of_war_player_opacity", "fog_of_war_color", "notes_text") SELECT "id", "game_session_id", "name", "sort_order", "last_updated", "display_padding", "display_resolution_x", "display_resolution_y", "map_url", "map_offset_x", "map_offset_y", "map_zoom", "map_rotation", "map_opacity", "grid_visible", "grid_type", "grid_size", "grid_opacity", "grid_color", "grid_line_width", "fog_of_war_enabled", "fog_of_war_gm_opacity", "fog_of_war_player_opacity", "fog_of_war_color", "notes_text" FROM `scene`;
--> statement-breakpoint
DROP TABLE `scene`;
--> statement-breakpoint
ALTER TABLE `__new_scene` RENAME TO `scene`;
--> statement-breakpoint
PRAGMA foreign_keys=ON;
--> statement-breakpoint
CREATE INDEX `scene_game_session_idx` ON `scene` (`game_session_id`);