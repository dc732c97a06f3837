package recommend

import (
	"context"

	"github.com/akinai/akinai/internal/catalog"
)

// HomeShelves is the top page's shelf of picks (catalog.Handlers
// .HomeShelves).
func (s *Store) HomeShelves(ctx context.Context) ([]catalog.Shelf, error) {
	picks, err := s.Current(ctx)
	if err != nil {
		return nil, err
	}
	return []catalog.Shelf{{ID: "recommended", TitleKey: "recommend.heading", IDs: picks[:min(len(picks), MaxShown)]}}, nil
}

// ProductShelves are a product page's shelves (catalog.Handlers
// .ProductShelves): what customers who bought it also bought, then the
// picks other than the product itself.
func (s *Store) ProductShelves(ctx context.Context, productID int64) ([]catalog.Shelf, error) {
	also, err := s.AlsoBought(ctx, productID)
	if err != nil {
		return nil, err
	}
	picks, err := s.Current(ctx)
	if err != nil {
		return nil, err
	}
	var others []int64
	for _, id := range picks {
		if id != productID && len(others) < MaxShown {
			others = append(others, id)
		}
	}
	return []catalog.Shelf{
		{ID: "also-bought", TitleKey: "recommend.also_bought", IDs: also},
		{ID: "recommended", TitleKey: "recommend.heading", IDs: others},
	}, nil
}
