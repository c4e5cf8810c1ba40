export { Simulator, startSimulator } from './simulator.js'
export type {
  AdminRights,
  CallbackAnswer,
  ChatRef,
  Delivery,
  FailNextOptions,
  FaultOptions,
  FileSpec,
  LatencyOptions,
  MessageKind,
  RateLimitOptions,
  SimBot,
  SimChat,
  SimMessageView,
  SimStats,
  SimUser,
  SimulatorOptions,
  TopicView,
  UserContent,
} from './types.js'
export { TOPIC_COLORS } from './methods/forum-topics.js'
