/**
 * The shop's orders: an in-memory store standing in for the host's database. It knows
 * nothing of events; the routes and the shipping job publish after they write.
 */
import type { OrderStatus, OrderUpdated } from "./events.ts";

/** One order, as the host stores it. */
export interface Order {
  readonly id: string;
  /** The user who placed it (the only one who may read or change it). */
  readonly customer: string;
  readonly item: string;
  readonly quantity: number;
  readonly status: OrderStatus;
  /** ISO 8601 time of the last change. */
  readonly updatedAt: string;
}

/** What a customer sends to place an order. */
export interface NewOrder {
  readonly item: string;
  readonly quantity: number;
}

/** Which status may follow which (a customer pays or cancels; the warehouse ships). */
const NEXT_STATUSES: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ["paid", "cancelled"],
  paid: ["shipped", "cancelled"],
  shipped: [],
  cancelled: [],
};

/** Options of {@link OrderStore}. */
export interface OrderStoreOptions {
  /** The clock stamping `updatedAt`. @default () => new Date() */
  readonly now?: () => Date;
}

/** The orders, in memory, with ids "1", "2", ... */
export class OrderStore {
  readonly #orders = new Map<string, Order>();
  readonly #now: () => Date;
  #lastId = 0;

  constructor(options: OrderStoreOptions = {}) {
    this.#now = options.now ?? ((): Date => new Date());
  }

  /** Stores a new order placed by `customer`. */
  create(customer: string, input: NewOrder): Order {
    this.#lastId += 1;
    const order: Order = { id: String(this.#lastId), customer, item: input.item, quantity: input.quantity, status: "placed", updatedAt: this.#stamp() };
    this.#orders.set(order.id, order);
    return order;
  }

  /** The order with this id, or undefined. */
  get(id: string): Order | undefined {
    return this.#orders.get(id);
  }

  /** Whether an order may move from its status to `status`. */
  canMove(order: Order, status: OrderStatus): boolean {
    return NEXT_STATUSES[order.status].includes(status);
  }

  /** Moves an existing order to `status` (check {@link canMove} first) and returns it. */
  move(order: Order, status: OrderStatus): Order {
    const moved: Order = { ...order, status, updatedAt: this.#stamp() };
    this.#orders.set(order.id, moved);
    return moved;
  }

  /** Every order of `customer`, oldest first. */
  ofCustomer(customer: string): Order[] {
    return [...this.#orders.values()].filter((order) => order.customer === customer);
  }

  /** Every order with this status, oldest first. */
  withStatus(status: OrderStatus): Order[] {
    return [...this.#orders.values()].filter((order) => order.status === status);
  }

  #stamp(): string {
    return this.#now().toISOString();
  }
}

/** What followers of an order see (everything but the customer). */
export function orderUpdate(order: Order): OrderUpdated {
  return { id: order.id, item: order.item, quantity: order.quantity, status: order.status, updatedAt: order.updatedAt };
}
