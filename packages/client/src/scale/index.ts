/**
 * The scale client (client-go scale): the `scale` subresource of any resource as autoscaling/v1 Scale.
 */
export {
  ScaleClient,
  convertFromAutoscalingV1,
  convertToAutoscalingV1,
  newDiscoveryScaleKindResolver,
  newForConfig,
  type PreferredResourceMapper,
  type Scale,
  type ScaleInterface,
  type ScaleKindResolver,
  type ScalesGetter,
} from "./client.js";
