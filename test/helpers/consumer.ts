/** A webhook consumer under test, correct or wrong in one chosen way (shared with the detection matrix). */
export { startConsumer, type ConsumerFlaw } from '../../src/mutation/consumer.js';
