export {
  Deliveries,
  type Delivery,
  type DeliveryStatus,
  type Page,
  type PlannedDelivery,
} from './deliveries';
export { ExternalIncidents } from './externalIncidents';
