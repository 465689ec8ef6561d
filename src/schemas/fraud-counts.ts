import { Type, type TObject, type TSchema, type TSchemaOptions } from 'typebox';
import type { FraudType } from '../detection/index.ts';

/** `unknown` when `Order` names every fraud type, else the missing ones, for the compiler's message. */
type NamesEveryFraudType<Order extends readonly FraudType[]> = [Exclude<FraudType, Order[number]>] extends [never]
  ? unknown
  : { missing: Exclude<FraudType, Order[number]> };

/**
 * `fraud_by_type`: one property per fraud type, in `order`, since a response lists its keys in its
 * schema's order. The keys come from FraudType, so adding a type fails to compile until it has a place.
 */
export function fraudCountsSchema<const Order extends readonly FraudType[], Count extends TSchema>(
  order: Order & NamesEveryFraudType<Order>,
  count: Count,
  options?: TSchemaOptions,
): TObject<Record<FraudType, Count>> {
  const properties = Object.fromEntries(order.map((type) => [type, count])) as Record<FraudType, Count>;
  return Type.Object(properties, options);
}
